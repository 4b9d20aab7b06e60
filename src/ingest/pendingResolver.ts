import crypto from 'node:crypto';
import { ActivityWeek } from '../storage/models/ActivityWeek';
import { LearnerOutcome } from '../storage/models/LearnerOutcome';
import { contributionId } from './contributionWriter';
import { LearnerDirectory, parsePendingRef } from './learnerDirectory';

/**
 * The key a pending contribution gets once moved onto its learner: its own key plus a hash of the
 * pending id, so it never collides with the learner's contribution of the same import window (events
 * under the username and under the user id in one file) and is the same on every rerun.
 */
export function resolvedKey(key: string, pendingLearnerRef: string): string {
  return `${key}~${crypto.createHash('sha256').update(pendingLearnerRef).digest('base64url').slice(0, 10)}`;
}

/**
 * Moves activity stored under source ids that were not known yet (`?username:bob`) onto the
 * learners they now resolve to. Each pending contribution is copied under the learner with a key
 * derived from its own (`resolvedKey`: a copy made before a crash is not made twice), then the pending
 * one is deleted. Returns how many contributions were moved. Call after a roster sync or an id mapping.
 */
export async function resolvePendingActivity(courseId: string, directory?: LearnerDirectory): Promise<number> {
  const dir = directory ?? (await LearnerDirectory.load(courseId));
  let moved = 0;
  const cursor = ActivityWeek.collection.find({ c: courseId, p: true }).batchSize(2000);
  let batch: Array<{ from: string; doc: Record<string, unknown> }> = [];
  const flush = async () => {
    if (!batch.length) return;
    try {
      await ActivityWeek.collection.insertMany(batch.map((b) => b.doc) as never[], { ordered: false });
    } catch (error) {
      const codes = ((error as { writeErrors?: Array<{ code: number }> }).writeErrors ?? []).map((e) => e.code);
      if (!codes.length || codes.some((c) => c !== 11000)) throw error;
    }
    await ActivityWeek.collection.deleteMany({ _id: { $in: batch.map((b) => b.from) as never[] } });
    moved += batch.length;
    batch = [];
  };
  for await (const doc of cursor) {
    const pending = parsePendingRef(String(doc.l));
    const learnerId = pending && dir.find(pending.keyType, pending.key);
    if (!learnerId) continue;
    const key = resolvedKey(doc.k as string, String(doc.l));
    batch.push({
      from: String(doc._id),
      doc: { _id: contributionId(courseId, learnerId, doc.w as number, key), c: courseId, l: learnerId, w: doc.w, k: key, p: false, e: doc.e },
    });
    if (batch.length >= 2000) await flush();
  }
  await flush();
  for await (const outcome of LearnerOutcome.collection.find({ c: courseId, l: /^\?/ })) {
    const pending = parsePendingRef(String(outcome.l));
    const learnerId = pending && dir.find(pending.keyType, pending.key);
    if (!learnerId) continue;
    const { _id, ...rest } = outcome;
    await LearnerOutcome.collection.replaceOne({ _id: `${courseId}|${learnerId}|${rest.outcome}` as never }, { ...rest, l: learnerId }, { upsert: true });
    await LearnerOutcome.collection.deleteOne({ _id });
  }
  return moved;
}
