import { CoursePlan, buildCoursePlan, generateLearner, GeneratedLearner } from './coursePlan';
import { LineSink } from './LineSink';
import { GenerateOptions } from './options';
import { TrackingLogWriter } from './TrackingLogWriter';
import { XapiWriter } from './XapiWriter';

/** Options for streaming without writing a course folder (`out` is not needed). */
export type StreamOptions = Omit<GenerateOptions, 'out' | 'platform'> & { platform?: 'openedx' };

/** One learner's rendered Open edX records. */
export interface LearnerRecords {
  generated: GeneratedLearner;
  trackingLines: string[];
  xapiStatements: string[];
}

function planFor(options: StreamOptions): CoursePlan {
  return buildCoursePlan({ ...options, platform: 'openedx', out: '-' });
}

/**
 * Streams learners with their tracking-log lines and xAPI statements, one learner at a time, in the
 * same order and with the same content as `generateCourse` writes them (bounded memory).
 */
export function* iterateLearnerRecords(options: StreamOptions): Generator<LearnerRecords> {
  const plan = planFor(options);
  const tracking = new TrackingLogWriter(plan.course);
  const xapi = new XapiWriter(plan.course);
  for (let i = 0; i < plan.options.learners; i++) {
    const generated = generateLearner(plan, i);
    const trackingLines: string[] = [];
    const xapiStatements: string[] = [];
    for (const e of generated.sim.events) {
      if (e.t >= plan.writeUntil) continue;
      const line = tracking.render(e, generated.learner);
      if (line) trackingLines.push(line.line);
      const statement = plan.options.xapi ? xapi.render(e, generated.learner) : undefined;
      if (statement) xapiStatements.push(statement.line);
    }
    yield { generated, trackingLines, xapiStatements };
  }
}

/** Streams tracking-log lines (learner by learner, then time); stops after exactly `maxLines` when given. */
export function* trackingLogLines(options: StreamOptions, maxLines = Infinity): Generator<string> {
  let emitted = 0;
  for (const learner of iterateLearnerRecords({ ...options, xapi: false })) {
    for (const line of learner.trackingLines) {
      if (emitted >= maxLines) return;
      yield line;
      emitted++;
    }
  }
}

/**
 * Writes a tracking log (gzip when the path ends in .gz) of exactly `maxLines` lines, drawing as
 * many learners as needed (up to `options.learners`, default 1,000,000). For benchmarks.
 */
export async function writeTrackingLog(path: string, options: Omit<StreamOptions, 'learners'> & { learners?: number }, maxLines: number): Promise<{ lines: number; learners: number }> {
  const sink = new LineSink(path);
  let learners = 0;
  try {
    for (const learner of iterateLearnerRecords({ ...options, learners: options.learners ?? 1_000_000, xapi: false })) {
      learners++;
      const room = maxLines - sink.lines;
      await sink.writeAll(room >= learner.trackingLines.length ? learner.trackingLines : learner.trackingLines.slice(0, room));
      if (sink.lines >= maxLines) break;
    }
  } finally {
    await sink.close();
  }
  return { lines: sink.lines, learners };
}
