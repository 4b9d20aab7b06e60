import type { Job, JobsOptions } from 'bullmq';
import { getQueue, QueueName } from './queues';

/**
 * A task of any props type, as the worker's registry holds them: the worker hands each task the
 * job data that its own `schedule` enqueued, so the props type is checked at `schedule`, not here.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyTask = BaseTask<any, unknown>;

/** A repeating schedule for a task: cron pattern in an IANA time zone. */
export interface TaskSchedule<P> {
  /** Scheduler id, unique per queue (e.g. `nightly:<courseId>`). */
  id: string;
  pattern: string;
  tz?: string;
  props: P;
}

/**
 * One unit of background work. Subclasses give an explicit `jobName` (never derived from the
 * class name, which changes on renames), the queue they run on, `perform`, and their retry policy.
 */
export abstract class BaseTask<P extends object, R = unknown> {
  /** Stable job name stored in Redis; renaming it orphans queued jobs. */
  abstract readonly jobName: string;
  abstract readonly queue: QueueName;

  /** Does the work. Throw a permanent KeepupError (4xx) for failures that retrying will not fix. */
  abstract perform(props: P, job?: Job<P>): Promise<R>;

  /** Called once when the job has failed for good (attempts exhausted or a permanent error). */
  async onFailed(_props: P, _error: Error): Promise<void> {}

  /** Retry policy and retention. Default: 3 attempts, exponential backoff from 1 s, keep a bounded history. */
  get options(): JobsOptions {
    return {
      attempts: 3,
      backoff: { type: 'exponential', delay: 1000 },
      removeOnComplete: { count: 1000 },
      removeOnFail: { count: 5000 },
    };
  }

  /** Schedules this task to be processed asynchronously by a worker; the caller's options win over the defaults. */
  async schedule(props: P, options: JobsOptions = {}): Promise<Job<P>> {
    return getQueue(this.queue).add(this.jobName, props, { ...this.options, ...options });
  }

  /** Registers (or updates) a repeating schedule for this task. */
  async upsertSchedule(schedule: TaskSchedule<P>): Promise<void> {
    await getQueue(this.queue).upsertJobScheduler(
      schedule.id,
      { pattern: schedule.pattern, tz: schedule.tz },
      { name: this.jobName, data: schedule.props, opts: this.options },
    );
  }
}
