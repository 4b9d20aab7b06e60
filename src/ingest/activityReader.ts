import { Types } from 'mongoose';
import type { DailyActivity } from '../domain/activity';
import { ActivityWeek } from '../storage/models/ActivityWeek';
import { readAhead } from '../storage/readAhead';
import { unpackEntry } from './contributionWriter';
import { mergeEntries, toDailyActivity, weekOfDay, type DayEntry } from './dayEntry';
import { countedDocs } from './weekFold';

export interface ReadActivityOptions {
  /** First UTC day number included. Default: everything. */
  fromDay?: number;
  /** Last UTC day number included. */
  toDay?: number;
  /** Also yield activity of learners not resolved yet (their `learnerId` is `?<type>:<key>`). Default false. */
  includePending?: boolean;
  /** Only learners whose `_id` (hex) is in this inclusive range (a nightly-run partition). Default: all. */
  learnerRange?: { from: string; to: string };
}

/** One learner's daily activity in the requested range, oldest day first. */
export interface LearnerActivity {
  /** Learner `_id` (hex). */
  learnerId: string;
  days: DailyActivity[];
}

/**
 * Streams a course's daily activity learner by learner: a cursor over the course's week buckets
 * sorted by `_id` (`course|learner|week|key`), so each learner's buckets arrive together and are merged
 * into one `{ learnerId, days }` (one document read per learner-week, or a few before compaction).
 * Within a learner-week, documents a compacted one covers are skipped (`countedDocs`), so a compaction
 * in progress or a contribution delivered again after one never counts twice.
 * Memory holds one learner at a time. This is the read path for features and scoring.
 */
export async function* readCourseActivity(courseId: string | Types.ObjectId, options: ReadActivityOptions = {}): AsyncGenerator<LearnerActivity> {
  const course = String(courseId);
  const filter: Record<string, unknown> = { c: course };
  if (options.fromDay !== undefined || options.toDay !== undefined) {
    const w: Record<string, number> = {};
    if (options.fromDay !== undefined) w.$gte = weekOfDay(options.fromDay);
    if (options.toDay !== undefined) w.$lte = weekOfDay(options.toDay);
    filter.w = w;
  }
  if (!options.includePending) filter.p = false;
  if (options.learnerRange) filter._id = { $gte: `${course}|${options.learnerRange.from}`, $lt: `${course}|${options.learnerRange.to}}` };
  // A batch read ahead: FerretDB decodes the next batch while the caller computes features for this one.
  const cursor = readAhead(ActivityWeek.collection.find(filter, { projection: { l: 1, w: 1, k: 1, ks: 1, e: 1 } }).sort({ _id: 1 }).batchSize(2000), 4000);
  let current: string | undefined;
  let entries: DayEntry[] = [];
  let week: Array<{ w: number; k: string; ks?: string[]; e: unknown[] }> = [];
  const endWeek = () => {
    for (const doc of countedDocs(week)) for (const e of doc.e) entries.push(unpackEntry(e));
    week = [];
  };
  const emit = (): LearnerActivity => ({
    learnerId: current!,
    days: mergeEntries(entries.filter((e) => (options.fromDay === undefined || e.d >= options.fromDay) && (options.toDay === undefined || e.d <= options.toDay))).map(toDailyActivity),
  });
  for await (const doc of cursor) {
    const learner = String(doc.l);
    if (week.length && (learner !== current || doc.w !== week[0].w)) endWeek();
    if (current !== undefined && learner !== current) {
      const out = emit();
      if (out.days.length) yield out;
      entries = [];
    }
    current = learner;
    week.push(doc as unknown as (typeof week)[number]);
  }
  endWeek();
  if (current !== undefined) {
    const out = emit();
    if (out.days.length) yield out;
  }
}

/**
 * The first day (a Monday, UTC day number) of the earliest week holding activity of the course
 * (resolved learners or not), or null when it has none: where a course without a start date begins.
 */
export async function firstActivityDay(courseId: string | Types.ObjectId): Promise<number | null> {
  const first = await ActivityWeek.collection.find({ c: String(courseId) }, { projection: { w: 1 } }).sort({ w: 1 }).limit(1).next();
  return first ? (first.w as number) * 7 - 3 : null;
}
