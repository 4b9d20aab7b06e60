import type { Redis } from 'ioredis';
import { Types } from 'mongoose';
import { NudgeCache } from '../storage/models/NudgeCache';
import type { WidgetContent } from './nudgeContent';

/** Redis copies live two days: a missed nightly run falls back to MongoDB, never to stale data beyond the next refresh. */
const REDIS_TTL_SECONDS = 2 * 24 * 3600;
const BATCH = 2000;

export interface CachedNudge {
  courseId: string;
  learnerId: string;
  runDate: string | null;
  content: WidgetContent;
}

/**
 * The per-learner widget content: Redis first (one GET), the `nudge_cache` collection behind it (one read
 * by its unique index), refilled into Redis on a miss. Writers update both.
 */
export class NudgeCacheStore {
  constructor(
    private readonly redis: Redis | undefined,
    private readonly prefix = 'keepup',
  ) {}

  private key(courseId: string, learnerId: string): string {
    return `${this.prefix}:nudge:${courseId}:${learnerId}`;
  }

  /** The learner's cached content, or null when nothing was built for them yet. */
  async get(courseId: string, learnerId: string): Promise<WidgetContent | null> {
    const key = this.key(courseId, learnerId);
    if (this.redis) {
      const hit = await this.redis.get(key).catch(() => null);
      if (hit) return JSON.parse(hit) as WidgetContent;
    }
    const doc = await NudgeCache.findOne({ _id: learnerId, courseId }).select({ content: 1 }).lean();
    if (!doc) return null;
    const content = doc.content as WidgetContent;
    if (this.redis) await this.redis.set(key, JSON.stringify(content), 'EX', REDIS_TTL_SECONDS).catch(() => undefined);
    return content;
  }

  /**
   * Writes many learners' content, in batches: delete the batch's documents, then insert them. (FerretDB 1.24
   * stalls on unordered update batches larger than its PostgreSQL pool, while inserts batch well; readers are
   * unaffected because they read Redis first, which is overwritten after MongoDB.)
   */
  async putMany(entries: CachedNudge[]): Promise<void> {
    const now = new Date();
    for (let i = 0; i < entries.length; i += BATCH) {
      const slice = entries.slice(i, i + BATCH);
      const ids = slice.map((e) => new Types.ObjectId(e.learnerId));
      await NudgeCache.deleteMany({ _id: { $in: ids } });
      try {
        await NudgeCache.insertMany(
          slice.map((e, j) => ({ _id: ids[j], courseId: new Types.ObjectId(e.courseId), runDate: e.runDate, content: e.content, createdAt: now, updatedAt: now })),
          { ordered: false },
        );
      } catch (error) {
        // A concurrent writer (an opt-out) inserted first: its newer content stands.
        if ((error as { code?: number }).code !== 11000) throw error;
      }
      if (this.redis) {
        const pipeline = this.redis.pipeline();
        for (const e of slice) pipeline.set(this.key(e.courseId, e.learnerId), JSON.stringify(e.content), 'EX', REDIS_TTL_SECONDS);
        await pipeline.exec();
      }
    }
  }
}
