import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ARCHETYPES, Archetype } from './archetypes';
import { CanvasWriter } from './CanvasWriter';
import { CoursePlan, buildCoursePlan, generateLearner } from './coursePlan';
import { DailyTruth, RecordContribution } from './DailyTruth';
import { LineSink } from './LineSink';
import { GenerateOptions } from './options';
import { DROPOUT_WINDOW_DAYS, dropoutCutoff, learnerOutcomes } from './outcomes';
import { TrackingLogWriter } from './TrackingLogWriter';
import { XapiWriter } from './XapiWriter';

/** What `generateCourse` wrote, with headline figures. */
export interface GeneratedCourseSummary {
  out: string;
  platform: 'openedx' | 'canvas';
  courseId: string;
  canvasCourseId: number;
  seed: string | number;
  learners: number;
  weeks: number;
  start: string;
  end: string;
  asOf: string | null;
  design: string;
  /** Lines (or JSON array items) per written file, keyed by path relative to `out`. */
  files: Record<string, number>;
  /** Counted activity records written (those in truth_daily). */
  activityRecords: number;
  /** Tracking-log lines with a blank username (anonymous page views). */
  anonymousEvents: number;
  archetypes: Record<Archetype, number>;
  rates: { dropout: number; completion: number; certificate: number };
  durationMs: number;
}

export interface GenerateHooks {
  /** Called after every 1,000 learners and at the end. */
  onProgress?: (done: number, total: number) => void;
}

/**
 * Generates a synthetic course into `options.out`: course.json, roster.jsonl, truth.jsonl,
 * truth_daily.jsonl.gz and the platform's activity files (see docs/generator.md). Learners are
 * simulated and written one at a time through backpressured streams, so memory stays bounded
 * whatever the number of learners. Files are ordered by learner, then time.
 */
export async function generateCourse(options: GenerateOptions, hooks: GenerateHooks = {}): Promise<GeneratedCourseSummary> {
  const started = Date.now();
  const plan = buildCoursePlan(options);
  const { course, options: opts } = plan;
  if (opts.asOf && opts.platform === 'canvas') throw new Error('invalid generator options: asOf is only supported for the openedx platform');
  const out = path.resolve(opts.out);
  await mkdir(out, { recursive: true });
  if (opts.platform === 'canvas') await mkdir(path.join(out, 'canvas'), { recursive: true });

  const sinks: Record<string, LineSink> = {};
  const open = (name: string) => (sinks[name] = new LineSink(path.join(out, name)));
  const roster = open('roster.jsonl');
  const truthSink = open('truth.jsonl');
  const daily = open('truth_daily.jsonl.gz');
  const tracking = opts.platform === 'openedx' ? open('tracking.log.gz') : undefined;
  const xapi = opts.platform === 'openedx' && opts.xapi ? open('xapi.jsonl.gz') : undefined;
  const live = opts.platform === 'canvas' ? open('canvas/live_events.jsonl.gz') : undefined;
  const submissions = opts.platform === 'canvas' ? open('canvas/submissions.jsonl.gz') : undefined;
  const enrollments = opts.platform === 'canvas' ? new JsonArraySink(open('canvas/enrollments.json')) : undefined;
  const summaries = opts.platform === 'canvas' ? new JsonArraySink(open('canvas/analytics_student_summaries.json')) : undefined;

  const trackingWriter = new TrackingLogWriter(course);
  const xapiWriter = new XapiWriter(course);
  const canvasWriter = new CanvasWriter(course);
  const archetypes = Object.fromEntries(ARCHETYPES.map((a) => [a, 0])) as Record<Archetype, number>;
  const totals = { activity: 0, anonymous: 0, dropout: 0, completion: 0, certificate: 0 };

  try {
    for (let i = 0; i < opts.learners; i++) {
      const { learner, sim } = generateLearner(plan, i);
      const truth = new DailyTruth(learner.entry);
      const full = new FullActivity();
      const record = (t: number, session: string, contribution: RecordContribution | undefined) => {
        if (!contribution) return;
        full.add(t);
        if (t < plan.writeUntil) truth.add(t, session, contribution);
      };

      if (tracking) {
        const trackingLines: string[] = [];
        const statements: string[] = [];
        for (const e of sim.events) {
          const rendered = trackingWriter.render(e, learner);
          if (!rendered) continue;
          record(e.t, e.session, rendered.contribution);
          if (e.t >= plan.writeUntil) continue;
          if (!rendered.contribution) totals.anonymous++;
          trackingLines.push(rendered.line);
          const statement = xapi ? xapiWriter.render(e, learner) : undefined;
          if (statement) statements.push(statement.line);
        }
        await tracking.writeAll(trackingLines);
        await xapi?.writeAll(statements);
      } else {
        const records = canvasWriter.renderLearner(sim.events, learner, sim);
        for (const e of records.liveEvents) record(e.time, e.session, e.contribution);
        await live?.writeAll(records.liveEvents.map((e) => e.line));
        await submissions?.writeAll(records.submissions.map((s) => JSON.stringify(s)));
        await enrollments?.write(records.enrollment);
        await summaries?.write(records.summary);
      }

      await daily.writeAll(truth.result().map((row) => JSON.stringify(row)));
      totals.activity += truth.events;
      const outcome = learnerOutcomes(course, learner.entry, sim, { events: full.events, activeDays: full.days.size, lastEventAt: full.lastEventAt }, plan.graded);
      archetypes[outcome.archetype]++;
      if (outcome.dropout) totals.dropout++;
      if (outcome.completion) totals.completion++;
      if (outcome.certificate) totals.certificate++;
      await truthSink.write(JSON.stringify(outcome));
      await roster.write(JSON.stringify({ ...learner.entry, enrolledAt: new Date(sim.enrolledAt).toISOString() }));
      if ((i + 1) % 1000 === 0) hooks.onProgress?.(i + 1, opts.learners);
    }
  } finally {
    await enrollments?.finish();
    await summaries?.finish();
    await Promise.all(Object.values(sinks).map((s) => s.close()));
  }
  hooks.onProgress?.(opts.learners, opts.learners);

  const files: Record<string, number> = {};
  for (const [name, sink] of Object.entries(sinks)) files[name] = sink.lines;
  if (enrollments) files['canvas/enrollments.json'] = enrollments.items;
  if (summaries) files['canvas/analytics_student_summaries.json'] = summaries.items;
  if (opts.platform === 'canvas') {
    const assignments = canvasWriter.assignmentObjects();
    await writeFile(path.join(out, 'canvas/assignments.json'), JSON.stringify(assignments, null, 2) + '\n');
    files['canvas/assignments.json'] = assignments.length;
  }
  await writeFile(path.join(out, 'course.json'), JSON.stringify(courseDocument(plan), null, 2) + '\n');
  files['course.json'] = 1;

  const n = opts.learners;
  return {
    out,
    platform: opts.platform,
    courseId: course.courseId,
    canvasCourseId: course.canvas.courseId,
    seed: opts.seed,
    learners: n,
    weeks: opts.weeks,
    start: new Date(course.startAt).toISOString(),
    end: new Date(course.endAt).toISOString(),
    asOf: opts.asOf ?? null,
    design: course.design.preset,
    files,
    activityRecords: totals.activity,
    anonymousEvents: totals.anonymous,
    archetypes,
    rates: { dropout: round3(totals.dropout / n), completion: round3(totals.completion / n), certificate: round3(totals.certificate / n) },
    durationMs: Date.now() - started,
  };
}

/** The course.json document: identity, dates, design features, outcome definitions and outline. */
function courseDocument(plan: CoursePlan): Record<string, unknown> {
  const { course } = plan;
  const iso = (t: number | undefined) => (t === undefined ? null : new Date(t).toISOString());
  return {
    generator: { name: 'keepup-generator', version: 1, seed: plan.options.seed, learners: plan.options.learners, asOf: plan.options.asOf ?? null, effect: plan.options.effect ?? null },
    platform: course.platform,
    courseId: course.courseId,
    org: course.org,
    number: course.number,
    run: course.run,
    title: course.title,
    lmsUrl: course.lmsUrl,
    timeZone: course.timeZone,
    start: iso(course.startAt),
    end: iso(course.endAt),
    weeks: course.weeks,
    canvas: course.canvas,
    design: course.design,
    outcomes: {
      dropoutWindowDays: DROPOUT_WINDOW_DAYS,
      dropoutCutoff: iso(dropoutCutoff(course)),
      passingGrade: course.design.passingGrade,
      certificateOffered: course.design.certificateOffered,
    },
    totals: {
      chapters: course.chapters.length,
      sequentials: course.chapters.reduce((n, c) => n + c.sequentials.length, 0),
      verticals: plan.context.units.length,
      videos: plan.context.units.reduce((n, u) => n + u.place.vertical.videos.length, 0),
      problems: plan.context.units.reduce((n, u) => n + u.place.vertical.problems.length, 0),
      gradedProblems: plan.graded.length,
      gradedPoints: plan.graded.reduce((n, p) => n + p.maxGrade, 0),
      interactiveVerticals: plan.context.units.filter((u) => u.place.vertical.interactive).length,
    },
    chapters: course.chapters.map((c) => ({
      id: c.id,
      displayName: c.displayName,
      week: c.week,
      releaseAt: iso(c.releaseAt),
      canvasModuleId: c.canvasModuleId,
      sequentials: c.sequentials.map((s) => ({
        id: s.id,
        displayName: s.displayName,
        graded: s.graded,
        format: s.format ?? null,
        dueAt: iso(s.dueAt),
        canvasAssignmentId: s.canvasAssignmentId ?? null,
        verticals: s.verticals.map((v) => ({
          id: v.id,
          displayName: v.displayName,
          interactive: v.interactive,
          canvasPageUrl: v.canvasPageUrl,
          videos: v.videos.map((x) => ({ id: x.id, displayName: x.displayName, duration: x.duration, code: x.code, canvasFileId: x.canvasFileId })),
          problems: v.problems.map((p) => ({ id: p.id, displayName: p.displayName, graded: p.graded, maxGrade: p.maxGrade, dueAt: iso(p.dueAt) })),
        })),
      })),
    })),
    forumTopics: course.forumTopics,
    wikiSlugs: course.wikiSlugs,
  };
}

/** Writes a JSON array item by item through a LineSink. */
class JsonArraySink {
  items = 0;
  constructor(private readonly sink: LineSink) {}

  async write(item: unknown): Promise<void> {
    await this.sink.write(`${this.items === 0 ? '[' : ','}${JSON.stringify(item)}`);
    this.items++;
  }

  async finish(): Promise<void> {
    await this.sink.write(this.items === 0 ? '[]' : ']');
  }
}

/** Activity over the whole course (including after `asOf`), for outcomes. */
class FullActivity {
  events = 0;
  days = new Set<number>();
  lastEventAt: number | undefined;
  add(t: number): void {
    this.events++;
    this.days.add(Math.floor(t / 86_400_000));
    this.lastEventAt = t;
  }
}

function round3(value: number): number {
  return Math.round(value * 1000) / 1000;
}
