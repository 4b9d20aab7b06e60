import { ActivityWeek } from '../storage/models/ActivityWeek';
import { contributionId, packEntry, unpackEntry, type ContributionDoc } from './contributionWriter';
import { mergeEntries } from './dayEntry';
import { compactedKey, countedDocs, foldedKeys } from './weekFold';

/** A stored `activity_daily` document as the compactor reads it: a contribution, possibly a merged one listing the keys it folds. */
export type StoredWeekDoc = Omit<ContributionDoc, 'e'> & { ks?: string[]; e: unknown[] };

/** What compacting one learner-week does: the merged document to write (unless stored already) and the documents to delete after. */
export interface WeekCompaction {
  merged?: StoredWeekDoc;
  remove: string[];
}

export interface CompactionResult {
  /** Learner-weeks that had more than one document. */
  weeks: number;
  /** Merged documents written. */
  merged: number;
  /** Documents deleted after being folded in. */
  removed: number;
}

/** Learner-weeks handled per write round (one insertMany, then one deleteMany). */
const ROUND = 500;
const DUPLICATE_KEY = 11000;

/**
 * Plans the compaction of one learner-week (documents of one course, learner and week): the days of
 * its counted documents (see `countedDocs`) merged into one document keyed `*<hash of the folded
 * contribution keys>`, and every other document deleted. Undefined when the week has one document.
 */
export function planWeekCompaction(docs: StoredWeekDoc[]): WeekCompaction | undefined {
  if (docs.length < 2) return undefined;
  const counted = countedDocs(docs);
  const keys = foldedKeys(counted);
  const key = compactedKey(keys);
  const first = docs[0];
  const id = contributionId(first.c, first.l, first.w, key);
  const remove = docs.filter((d) => d._id !== id).map((d) => d._id);
  if (counted.length === 1 && counted[0]._id === id) return { remove };
  const e = mergeEntries(counted.flatMap((d) => d.e.map(unpackEntry))).map(packEntry);
  return { merged: { _id: id, c: first.c, l: first.l, w: first.w, k: key, p: first.p, ks: keys, e }, remove };
}

/** Writes the merged documents of a round (inserts; one stored by an earlier, interrupted run is kept). */
export async function writeMerged(plans: WeekCompaction[]): Promise<number> {
  const docs = plans.flatMap((p) => (p.merged ? [p.merged] : []));
  if (!docs.length) return 0;
  try {
    return (await ActivityWeek.collection.insertMany(docs as never[], { ordered: false })).insertedCount;
  } catch (error) {
    const e = error as { writeErrors?: Array<{ code: number }> | { code: number }; code?: number };
    const codes = Array.isArray(e.writeErrors) ? e.writeErrors.map((w) => w.code) : e.writeErrors ? [e.writeErrors.code] : e.code !== undefined ? [e.code] : [];
    if (!codes.length || codes.some((c) => c !== DUPLICATE_KEY)) throw error;
    return docs.length - codes.length;
  }
}

/** Deletes the documents a round folded in (only after `writeMerged` of the same round has returned). */
export async function removeMerged(plans: WeekCompaction[]): Promise<number> {
  const ids = plans.flatMap((p) => p.remove);
  if (!ids.length) return 0;
  return (await ActivityWeek.collection.deleteMany({ _id: { $in: ids as never[] } })).deletedCount ?? 0;
}

/**
 * Folds each learner-week of a course into one document: a cursor over the course's resolved
 * documents in `_id` order (each learner-week's documents arrive together), the merged documents of
 * a round written first, the folded ones deleted after. Crash-safe and idempotent: readers skip
 * documents a merged one covers, and a rerun computes the same merged `_id` and finishes the deletes.
 * Contributions still pending (unresolved learners) are left to the pending resolver.
 */
export async function compactCourseActivity(courseId: string): Promise<CompactionResult> {
  const result: CompactionResult = { weeks: 0, merged: 0, removed: 0 };
  let plans: WeekCompaction[] = [];
  const round = async () => {
    result.merged += await writeMerged(plans);
    result.removed += await removeMerged(plans);
    plans = [];
  };
  let week: StoredWeekDoc[] = [];
  const endWeek = async () => {
    const plan = planWeekCompaction(week);
    week = [];
    if (!plan) return;
    result.weeks++;
    plans.push(plan);
    if (plans.length >= ROUND) await round();
  };
  const cursor = ActivityWeek.collection.find({ c: courseId, p: false }).sort({ _id: 1 }).batchSize(2000);
  for await (const raw of cursor) {
    const doc = raw as unknown as StoredWeekDoc;
    if (week.length && (doc.l !== week[0].l || doc.w !== week[0].w)) await endWeek();
    week.push(doc);
  }
  await endWeek();
  await round();
  return result;
}
