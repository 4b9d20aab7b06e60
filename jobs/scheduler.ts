import { Types } from 'mongoose';
import { log } from '../src/log';
import { Course } from '../src/storage/models/Course';
import { NightlyRun, type NightlyRunDoc } from '../src/storage/models/NightlyRun';
import { queueConnection } from './connection';
import { getQueue } from './queues';
import { NightlyCourseRunTask, resumeRun } from './tasks/NightlyCourseRunTask';

/** Default nightly schedule: 02:00 in the course's time zone. */
export const DEFAULT_NIGHTLY_CRON = '0 2 * * *';

/** Job scheduler id of a course's nightly run. */
export function courseSchedulerId(courseId: string): string {
  return `nightly-${courseId}`;
}

/** Registers (or updates) the nightly job scheduler of one course: its cron pattern in its IANA time zone. */
export async function upsertCourseSchedule(course: { _id: Types.ObjectId | string; nightlyCron?: string | null; timeZone?: string | null }): Promise<void> {
  const courseId = String(course._id);
  await new NightlyCourseRunTask().upsertSchedule({
    id: courseSchedulerId(courseId),
    pattern: course.nightlyCron || DEFAULT_NIGHTLY_CRON,
    tz: course.timeZone || 'UTC',
    props: { courseId, trigger: 'schedule' },
  });
}

/** Removes a course's nightly scheduler (e.g. when the course is deleted). */
export async function removeCourseSchedule(courseId: string): Promise<void> {
  await getQueue('nightly').removeJobScheduler(courseSchedulerId(courseId));
}

/**
 * Registers a scheduler for every course changed since `since` (every course when omitted). Upserts are
 * idempotent, so every worker may call this at start; new or edited courses are picked up on the next sync.
 */
export async function syncCourseSchedules(since?: Date): Promise<number> {
  let count = 0;
  const filter = since ? { updatedAt: { $gte: since } } : {};
  for await (const course of Course.find(filter, { nightlyCron: 1, timeZone: 1 }).lean().cursor()) {
    await upsertCourseSchedule(course);
    count++;
  }
  return count;
}

/**
 * Re-schedules runs that stopped making progress (no heartbeat for `staleMs`): a worker killed mid-step
 * whose job BullMQ has not yet found stalled, or a Redis restart that lost the queued jobs. Step jobs have
 * deterministic ids, so jobs Redis still holds are not duplicated. Returns the runs resumed.
 */
export async function recoverStaleRuns(staleMs: number): Promise<string[]> {
  const stale = await NightlyRun.find({ status: 'running', heartbeatAt: { $lt: new Date(Date.now() - staleMs) } }).lean<NightlyRunDoc[]>();
  const resumed: string[] = [];
  for (const run of stale) {
    await NightlyRun.updateOne({ _id: run._id }, { $set: { heartbeatAt: new Date() } });
    try {
      await resumeRun(run);
      resumed.push(run._id);
    } catch (error) {
      log.warn({ runId: run._id, err: (error as Error).message }, 'could not resume a stale nightly run');
    }
  }
  if (resumed.length) log.info({ runs: resumed }, 'resumed stale nightly runs');
  return resumed;
}

export interface NightlySchedulerOptions {
  /** How often the watchdog looks for stale runs and Redis restarts, ms. Default 30,000. */
  intervalMs?: number;
  /** A running run with no heartbeat for this long is resumed, ms. Default 600,000 (10 minutes). */
  staleMs?: number;
  /** How often courses changed since the last sync get their schedulers upserted, ms. Default 300,000. */
  syncMs?: number;
}

/**
 * Starts the nightly scheduling side of a worker process: registers every course's job scheduler, then
 * keeps them in step with the courses, and runs the watchdog that resumes stale runs. A Redis restart
 * (new `run_id`) loses schedulers and queued jobs, so it triggers a full re-sync and an immediate resume.
 */
export async function startNightlyScheduler(options: NightlySchedulerOptions = {}): Promise<{ close(): Promise<void> }> {
  const intervalMs = options.intervalMs ?? 30_000;
  const staleMs = options.staleMs ?? 600_000;
  const syncMs = options.syncMs ?? 300_000;
  let redisRunId = await currentRedisRunId();
  let lastSync = new Date();
  await syncCourseSchedules();
  let busy: Promise<void> | undefined;
  const tick = async () => {
    const runId = await currentRedisRunId();
    const restarted = runId !== undefined && redisRunId !== undefined && runId !== redisRunId;
    if (runId !== undefined) redisRunId = runId;
    if (restarted || Date.now() - lastSync.getTime() >= syncMs) {
      const since = restarted ? undefined : new Date(lastSync.getTime() - 1000);
      lastSync = new Date();
      await syncCourseSchedules(since);
    }
    await recoverStaleRuns(restarted ? 0 : staleMs);
  };
  const timer = setInterval(() => {
    if (busy) return;
    busy = tick()
      .catch((error: Error) => log.warn({ err: error.message }, 'nightly watchdog tick failed'))
      .finally(() => (busy = undefined));
  }, intervalMs);
  timer.unref();
  return {
    async close() {
      clearInterval(timer);
      await busy;
    },
  };
}

async function currentRedisRunId(): Promise<string | undefined> {
  try {
    const info = await Promise.race([queueConnection().info('server'), new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timeout')), 2000))]);
    return /run_id:(\w+)/.exec(info)?.[1];
  } catch {
    return undefined;
  }
}
