import type { Job, JobsOptions } from 'bullmq';
import { Types } from 'mongoose';
import { deliverOutboxItem, OutboxLeasedError } from '../../src/messaging/outboxDelivery';
import { OutboxItem } from '../../src/storage/models/OutboxItem';
import { log } from '../../src/log';
import { BaseTask } from '../BaseTask';
import { getQueue } from '../queues';

export interface DeliverOutboxItemProps {
  outboxId: string;
}

/**
 * Delivers one outbox row. Idempotent: the row's claim decides who sends, so duplicate or retried jobs for
 * the same row never send twice. Deferred rows (quiet hours, frequency cap) are rescheduled for when they are due.
 */
export class DeliverOutboxItemTask extends BaseTask<DeliverOutboxItemProps> {
  readonly jobName = 'messages.deliverOutboxItem';
  readonly queue = 'messages' as const;

  override get options(): JobsOptions {
    return { attempts: 6, backoff: { type: 'exponential', delay: 2000 }, removeOnComplete: { count: 5000 }, removeOnFail: { count: 5000 } };
  }

  async perform(props: DeliverOutboxItemProps, job?: Job<DeliverOutboxItemProps>) {
    try {
      const outcome = await deliverOutboxItem(props.outboxId);
      if (outcome.kind === 'deferred') await this.scheduleAt(props.outboxId, outcome.until, `${job?.id ?? 'deliver'}-d${outcome.until.getTime()}`);
      return outcome;
    } catch (error) {
      if (error instanceof OutboxLeasedError) log.info({ outboxId: props.outboxId }, 'outbox row leased by another sender; retrying later');
      throw error;
    }
  }

  /** Marks the row failed when every attempt failed (unless it was sent meanwhile). */
  override async onFailed(props: DeliverOutboxItemProps, error: Error): Promise<void> {
    await OutboxItem.updateOne({ _id: new Types.ObjectId(props.outboxId), status: { $in: ['pending', 'sending'] } }, { $set: { status: 'failed', reason: 'retries_exhausted', lastError: error.message, leaseUntil: null } });
  }

  /**
   * Schedules delivery of many rows, each job id derived from the row (and `tag`, for re-scheduling rows whose
   * first job already completed, e.g. on resume) so duplicates collapse.
   */
  async scheduleMany(rows: Array<{ _id: Types.ObjectId; notBefore: Date }>, now = Date.now(), tag = ''): Promise<void> {
    for (let i = 0; i < rows.length; i += 1000) {
      await getQueue(this.queue).addBulk(
        rows.slice(i, i + 1000).map((row) => ({
          name: this.jobName,
          data: { outboxId: String(row._id) },
          opts: { ...this.options, jobId: `deliver-${row._id}${tag}`, delay: Math.max(0, row.notBefore.getTime() - now) },
        })),
      );
    }
  }

  private async scheduleAt(outboxId: string, at: Date, jobId: string): Promise<void> {
    await this.schedule({ outboxId }, { jobId, delay: Math.max(0, at.getTime() - Date.now()) });
  }
}
