import { Types } from 'mongoose';
import { dayNumber } from '../domain/activity';
import { log } from '../log';
import { Assignment, assignmentKey } from '../storage/models/Assignment';
import { Exposure, exposureKey } from '../storage/models/Exposure';
import type { WidgetContent } from '../nudges/nudgeContent';
import type { Placement } from '../nudges/strategies';
import { HOLDOUT_ARM } from './assignment';

export interface ExposureBatcherOptions {
  /** How often recorded exposures are written, ms. Default 1,000. */
  flushIntervalMs?: number;
  /** Pending learner-days that start a write before the interval is up. Default 2,000. */
  maxPending?: number;
}

/** What an exposure needs from a learner's widget content. */
export type ExposedContent = Pick<WidgetContent, 'experimentId' | 'arm' | 'strategy' | 'optedOut' | 'messages'>;

interface PendingExposure {
  _id: string;
  experimentId: string;
  courseId: string;
  learnerId: string;
  day: number;
  arm: string;
  strategy: string;
  placement: Placement;
  text: string;
  firstAt: Date;
  views: number;
}

/** FerretDB stalls on large unordered update batches; inserts batch well. */
const INSERT_CHUNK = 1_000;
const UPDATE_CHUNK = 50;

function duplicateIndexes(error: unknown): Set<number> | null {
  const e = error as { code?: number; writeErrors?: Array<{ index: number; code: number }> | { index: number; code: number } };
  const writeErrors = e.writeErrors ? ([] as Array<{ index: number; code: number }>).concat(e.writeErrors) : [];
  if (!writeErrors.length || writeErrors.some((w) => w.code !== 11000)) return null;
  return new Set(writeErrors.map((w) => w.index));
}

/**
 * Records that learners' widgets were shown in experiment arms, off the request path: `record` only updates an
 * in-memory map deduplicated per (experiment, learner, UTC day) and answers at once; every `flushIntervalMs` (or at
 * `maxPending` learner-days) the batch is written — one insert per new learner-day (`_id = experimentId:learnerId:day`,
 * holding its view count; the assignment's `exposureDays` raised once), and for learner-days already stored, `views`
 * raised by the views since. A failed write keeps the batch for the next flush. `close()` writes what is left: the web
 * server calls it on SIGTERM after the last request, so no recorded exposure is lost on shutdown.
 * Holdout and opted-out learners, and learners outside an experiment, are not exposures.
 */
export class ExposureBatcher {
  private pending = new Map<string, PendingExposure>();
  /** Assignment `_id`s whose `exposureDays` still has to be raised (a write failed after the insert). */
  private exposureDays = new Map<string, number>();
  /** Learner-days this process has stored (today only): later views only raise `views`. */
  private readonly stored = new Set<string>();
  private storedDay = -1;
  private flushing: Promise<void> = Promise.resolve();
  private readonly timer: NodeJS.Timeout;
  private readonly maxPending: number;

  constructor(options: ExposureBatcherOptions = {}) {
    this.maxPending = options.maxPending ?? 2_000;
    this.timer = setInterval(() => {
      if (this.pending.size || this.exposureDays.size) this.flush().catch(() => undefined);
    }, options.flushIntervalMs ?? 1_000);
    this.timer.unref();
  }

  /**
   * Records one display of the learner's widget. `logged` is whether it counts as an exposure; `firstToday` whether
   * it is the learner's first this UTC day as far as this process knows.
   */
  record(props: { courseId: string; learnerId: string; content: ExposedContent; placement: Placement; now?: Date }): { logged: boolean; firstToday: boolean } {
    const { content } = props;
    if (!content.experimentId || !content.arm || content.arm === HOLDOUT_ARM || content.optedOut || !content.strategy) return { logged: false, firstToday: false };
    const now = props.now ?? new Date();
    const day = dayNumber(now);
    if (day !== this.storedDay) {
      this.stored.clear();
      this.storedDay = day;
    }
    const _id = exposureKey(content.experimentId, props.learnerId, day);
    const pending = this.pending.get(_id);
    if (pending) {
      pending.views++;
      return { logged: true, firstToday: false };
    }
    this.pending.set(_id, { _id, experimentId: content.experimentId, courseId: props.courseId, learnerId: props.learnerId, day, arm: content.arm, strategy: content.strategy, placement: props.placement, text: content.messages[props.placement] ?? '', firstAt: now, views: 1 });
    if (this.pending.size >= this.maxPending) this.flush().catch(() => undefined);
    return { logged: true, firstToday: !this.stored.has(_id) };
  }

  /** Learner-days recorded but not yet written. */
  get pendingCount(): number {
    return this.pending.size;
  }

  /** Writes everything recorded so far (after any write already under way); rejects when the write failed (the batch is kept). */
  flush(): Promise<void> {
    const run = this.flushing.then(() => this.write());
    this.flushing = run.catch(() => undefined);
    return run;
  }

  /** Stops the timer and writes what is left. */
  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }

  private async write(): Promise<void> {
    const batch = [...this.pending.values()];
    this.pending = new Map();
    const toIncrement: PendingExposure[] = [];
    /** Inserted by this flush (their views are stored). */
    const inserted = new Set<string>();
    try {
      const fresh = batch.filter((e) => !this.stored.has(e._id));
      toIncrement.push(...batch.filter((e) => this.stored.has(e._id)));
      for (let i = 0; i < fresh.length; i += INSERT_CHUNK) {
        const chunk = fresh.slice(i, i + INSERT_CHUNK);
        let duplicates = new Set<number>();
        try {
          await Exposure.collection.insertMany(
            chunk.map((e) => ({ _id: e._id as never, experimentId: new Types.ObjectId(e.experimentId), courseId: new Types.ObjectId(e.courseId), learnerId: new Types.ObjectId(e.learnerId), day: e.day, arm: e.arm, strategy: e.strategy, placement: e.placement, text: e.text, firstAt: e.firstAt, views: e.views })),
            { ordered: false },
          );
        } catch (error) {
          // Learner-days another process (or an earlier, interrupted flush) stored first: count these views on them.
          const found = duplicateIndexes(error);
          if (!found) throw error;
          duplicates = found;
        }
        chunk.forEach((e, j) => {
          this.remember(e);
          if (duplicates.has(j)) toIncrement.push(e);
          else {
            inserted.add(e._id);
            const assignment = assignmentKey(e.experimentId, e.learnerId);
            this.exposureDays.set(assignment, (this.exposureDays.get(assignment) ?? 0) + 1);
          }
        });
      }
    } catch (error) {
      for (const e of batch) if (!inserted.has(e._id)) this.requeue(e);
      log.error({ err: (error as Error).message, learnerDays: batch.length }, 'exposure write failed; kept for the next flush');
      throw error;
    }
    await this.raiseExposureDays();
    await this.raiseViews(toIncrement);
  }

  private remember(e: PendingExposure): void {
    if (e.day === this.storedDay) this.stored.add(e._id);
  }

  /** Puts a learner-day back for the next flush, adding its views to any recorded since. */
  private requeue(e: PendingExposure): void {
    const again = this.pending.get(e._id);
    if (again) {
      again.views += e.views;
      again.firstAt = e.firstAt;
    } else this.pending.set(e._id, e);
  }

  private async raiseExposureDays(): Promise<void> {
    const raises = [...this.exposureDays];
    this.exposureDays = new Map();
    try {
      const once = raises.filter(([, n]) => n === 1).map(([id]) => id);
      if (once.length) await Assignment.updateMany({ _id: { $in: once } }, { $inc: { exposureDays: 1 } });
      for (const [id, n] of raises) if (n > 1) await Assignment.updateOne({ _id: id }, { $inc: { exposureDays: n } });
    } catch (error) {
      for (const [id, n] of raises) this.exposureDays.set(id, (this.exposureDays.get(id) ?? 0) + n);
      log.error({ err: (error as Error).message }, 'raising exposure days failed; kept for the next flush');
      throw error;
    }
  }

  private async raiseViews(entries: PendingExposure[]): Promise<void> {
    for (let i = 0; i < entries.length; i += UPDATE_CHUNK) {
      const chunk = entries.slice(i, i + UPDATE_CHUNK);
      try {
        await Exposure.bulkWrite(chunk.map((e) => ({ updateOne: { filter: { _id: e._id }, update: { $inc: { views: e.views } } } })), { ordered: true });
      } catch (error) {
        for (const e of entries.slice(i)) this.requeue(e);
        log.error({ err: (error as Error).message }, 'raising exposure views failed; kept for the next flush');
        throw error;
      }
    }
  }
}
