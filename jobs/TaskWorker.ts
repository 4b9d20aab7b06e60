import { Job, UnrecoverableError, Worker } from 'bullmq';
import { isPermanent } from '../src/errors';
import { log } from '../src/log';
import type { AnyTask } from './BaseTask';
import { jobsSettings, newConnection } from './connection';
import type { QueueName } from './queues';

export interface TaskWorkerOptions {
  /** Jobs processed at once per queue. Default 2. */
  concurrency?: number;
}

/**
 * Runs the registered tasks: one BullMQ Worker per queue they use, dispatching each job to
 * the task with its name. Permanent errors skip the remaining attempts.
 */
export class TaskWorker {
  private readonly workers: Worker[] = [];
  private readonly byName = new Map<string, AnyTask>();

  constructor(tasks: AnyTask[], private readonly options: TaskWorkerOptions = {}) {
    for (const task of tasks) {
      if (this.byName.has(task.jobName)) throw new Error(`Two tasks share the job name ${task.jobName}`);
      this.byName.set(task.jobName, task);
    }
  }

  /** Starts consuming every queue that has at least one task. */
  start(): this {
    const queues = new Set<QueueName>([...this.byName.values()].map((t) => t.queue));
    for (const queue of queues) {
      const worker = new Worker(queue, (job) => this.process(job), {
        connection: newConnection(),
        prefix: jobsSettings().prefix,
        concurrency: this.options.concurrency ?? 2,
      });
      worker.on('failed', (job, error) => {
        if (!job) return;
        const finalAttempt = job.attemptsMade >= (job.opts.attempts ?? 1) || error instanceof UnrecoverableError;
        log.warn({ job: job.name, id: job.id, attempt: job.attemptsMade, err: error.message }, 'job failed');
        if (finalAttempt) void this.byName.get(job.name)?.onFailed(job.data, error).catch((e: Error) => log.error({ err: e.message }, 'onFailed threw'));
      });
      worker.on('error', (error) => log.error({ queue, err: error.message }, 'worker error'));
      this.workers.push(worker);
    }
    return this;
  }

  private async process(job: Job): Promise<unknown> {
    const task = this.byName.get(job.name);
    if (!task) throw new UnrecoverableError(`No task is registered for job name ${job.name}`);
    try {
      return await task.perform(job.data, job);
    } catch (error) {
      if (isPermanent(error)) throw new UnrecoverableError((error as Error).message);
      throw error;
    }
  }

  /** Waits for jobs in progress to finish, then closes the workers. */
  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.close()));
    this.workers.length = 0;
  }
}
