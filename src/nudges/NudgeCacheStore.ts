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
 * by its unique index), refilled into Redis on a miss. Writers update both, then raise the course's cache version
 * (`<prefix>:nudge:version:<courseId>`), which web processes poll to drop their in-process copies.
 */
export class NudgeCacheStore {
  constructor(
    private readonly redis: Redis | undefined,
    private readonly prefix = 'keepup',
  ) {}

  private key(courseId: string, learnerId: string): string {
    return `${this.prefix}:nudge:${courseId}:${learnerId}`;
  }

  /** Whether content carries cache versions (only with Redis). */
  get hasVersions(): boolean {
    return this.redis !== undefined;
  }

  private versionKey(courseId: string): string {
    return `${this.prefix}:nudge:version:${courseId}`;
  }

  /**
   * The learner's cached content (null when nothing was built for them yet) with the course's cache version, in
   * one Redis round trip. The version is read first, so the content is at least as new as the version it is filed
   * under. Without Redis the version is 0.
   */
  async getVersioned(courseId: string, learnerId: string): Promise<{ version: number; content: WidgetContent | null }> {
    const key = this.key(courseId, learnerId);
    let version = 0;
    if (this.redis) {
      const replies = await this.redis.pipeline().get(this.versionKey(courseId)).get(key).exec().catch(() => null);
      const [versionReply, contentReply] = (replies ?? []).map(([error, value]) => (error ? null : (value as string | null)));
      version = Number(versionReply) || 0;
      if (contentReply) return { version, content: JSON.parse(contentReply) as WidgetContent };
    }
    const doc = await NudgeCache.findOne({ _id: learnerId, courseId }).select({ content: 1 }).lean();
    if (!doc) return { version, content: null };
    const content = doc.content as WidgetContent;
    if (this.redis) await this.redis.set(key, JSON.stringify(content), 'EX', REDIS_TTL_SECONDS).catch(() => undefined);
    return { version, content };
  }

  /** The cache versions of several courses (0 for a course never rewritten, or without Redis), in one round trip. */
  async versions(courseIds: string[]): Promise<number[]> {
    if (!this.redis || !courseIds.length) return courseIds.map(() => 0);
    const replies = await this.redis.mget(courseIds.map((id) => this.versionKey(id)));
    return replies.map((v) => Number(v) || 0);
  }

  /**
   * Raises the course's cache version after its content was rewritten, so every web process drops its
   * in-process copies (they are filed under the version; see RenderedNudgeCache). Call after the writes.
   */
  async bumpVersion(courseId: string): Promise<void> {
    if (this.redis) await this.redis.incr(this.versionKey(courseId));
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
