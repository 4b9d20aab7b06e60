import { Course } from '../storage/models/Course';
import { FeatureChunk } from '../storage/models/FeatureChunk';
import { NightlyRunPart, nightlyRunPartId, type NightlyRunPartDoc } from '../storage/models/NightlyRunPart';
import { ModelVersion } from '../storage/models/ModelVersion';
import { Score } from '../storage/models/Score';
import { NightlyRun, nightlyRunId, type NightlyRunDoc, type RunStep } from '../storage/models/NightlyRun';
import { NotFoundError, ValidationError } from '../errors';
import { asOfDayOf, parseRunDate } from './runDate';

/** What the steps need to know about the course of a run. */
export interface RunCourse {
  courseId: string;
  platform: string;
  timeZone: string;
  startDay: number | null;
}

/** Loads a course for a run; a missing course is a permanent error. */
export async function runCourse(courseId: string): Promise<RunCourse> {
  if (!/^[0-9a-f]{24}$/.test(courseId)) throw ValidationError(`course id must be a 24-character hex id, got "${courseId}"`);
  const course = await Course.findById(courseId, { platform: 1, timeZone: 1, startDate: 1 }).lean();
  if (!course) throw NotFoundError(`course ${courseId} does not exist`);
  return {
    courseId,
    platform: course.platform,
    timeZone: course.timeZone || 'UTC',
    startDay: course.startDate ? Math.floor(course.startDate.getTime() / 86_400_000) : null,
  };
}

/**
 * Finds or creates the run of a course for a run date (idempotent: `_id` is `<course>|<runDate>`).
 * A failed run is reopened so a new attempt resumes where it stopped; a completed run is returned as it is.
 */
export async function openRun(courseId: string, runDate: string, trigger: NightlyRunDoc['trigger']): Promise<NightlyRunDoc> {
  parseRunDate(runDate);
  const _id = nightlyRunId(courseId, runDate);
  await NightlyRun.updateOne({ _id }, { $setOnInsert: { _id, courseId, runDate, asOfDay: asOfDayOf(runDate), trigger, startedAt: new Date() } }, { upsert: true });
  await NightlyRun.updateOne({ _id, status: 'failed' }, { $set: { status: 'running', heartbeatAt: new Date() }, $unset: { error: 1 } });
  return (await loadRun(_id))!;
}

/** The run document, or undefined. */
export async function loadRun(runId: string): Promise<NightlyRunDoc | undefined> {
  return (await NightlyRun.findById(runId).lean<NightlyRunDoc>()) ?? undefined;
}

/** The run document; throws NotFound when it does not exist (a job for a run that was deleted). */
export async function requireRun(runId: string): Promise<NightlyRunDoc> {
  const run = await loadRun(runId);
  if (!run) throw NotFoundError(`nightly run ${runId} does not exist`);
  return run;
}

/** Marks a step as started and makes it the run's stage. */
export async function startStep(runId: string, step: RunStep): Promise<void> {
  await NightlyRun.updateOne(
    { _id: runId, [`steps.${step}.status`]: { $nin: ['done', 'skipped'] } },
    { $set: { stage: step, [`steps.${step}.status`]: 'running', [`steps.${step}.startedAt`]: new Date(), heartbeatAt: new Date() } },
  );
}

/** Marks a step as finished (`done` or `skipped`) with a note for the Runs page. */
export async function finishStep(runId: string, step: RunStep, status: 'done' | 'skipped', note: string, extra: Record<string, unknown> = {}): Promise<void> {
  await NightlyRun.updateOne(
    { _id: runId },
    { $set: { [`steps.${step}.status`]: status, [`steps.${step}.finishedAt`]: new Date(), [`steps.${step}.note`]: note, heartbeatAt: new Date(), ...extra } },
  );
}

/** True when the step has already finished (a retried or re-scheduled job then only moves the run on). */
export function stepFinished(run: NightlyRunDoc, step: RunStep): boolean {
  const status = run.steps?.[step]?.status;
  return status === 'done' || status === 'skipped';
}

/** Records that a run is alive (the watchdog resumes runs whose heartbeat stops). */
export async function heartbeat(runId: string): Promise<void> {
  await NightlyRun.updateOne({ _id: runId }, { $set: { heartbeatAt: new Date() } });
}

/** Marks the run failed for good (attempts exhausted or a permanent error). */
export async function failRun(runId: string, error: Error): Promise<void> {
  await NightlyRun.updateOne({ _id: runId, status: { $ne: 'completed' } }, { $set: { status: 'failed', error: error.message.slice(0, 500), finishedAt: new Date() } });
}

/** Creates the indexes the pipeline's idempotency relies on (unique Score per course, run date and learner). */
export async function ensureRunIndexes(): Promise<void> {
  await Promise.all([Score.init(), FeatureChunk.init(), NightlyRun.init(), NightlyRunPart.init(), ModelVersion.init()]);
}

/** Records a finished partition of a step (insert-once: a retried partition's second record is a no-op). */
export async function recordPart(runId: string, step: 'features' | 'score', partition: number, n: number, sums?: NightlyRunPartDoc['sums']): Promise<void> {
  try {
    await NightlyRunPart.collection.insertOne({ _id: nightlyRunPartId(runId, step, partition) as never, runId, step, partition, n, sums, at: new Date() });
  } catch (error) {
    if ((error as { code?: number }).code !== 11000) throw error;
  }
  await heartbeat(runId);
}

/** The finished partitions of a step, by partition index. */
export async function finishedParts(runId: string, step: 'features' | 'score'): Promise<Map<number, NightlyRunPartDoc>> {
  const parts = await NightlyRunPart.find({ runId, step }).lean<NightlyRunPartDoc[]>();
  return new Map(parts.map((p) => [p.partition, p]));
}
