import type { Collection } from 'mongoose';
import { InsertOnceWriter } from '../storage/insertOnce';
import { ActivityWeek } from '../storage/models/ActivityWeek';
import type { WeekContribution } from './dayAggregator';
import type { DayEntry } from './dayEntry';

/** Documents per insertMany. */
const BATCH = 1000;
/** insertMany calls in flight at once, so parsing continues while the database writes. */
const IN_FLIGHT = 3;

/** The `_id` of a contribution document: `<course>|<learner>|<week, 5 digits>|<key>`. */
export function contributionId(courseId: string, learnerRef: string, week: number, key: string): string {
  return `${courseId}|${learnerRef}|${String(week).padStart(5, '0')}|${key}`;
}

export interface ContributionDoc {
  _id: string;
  c: string;
  l: string;
  w: number;
  k: string;
  p: boolean;
  /** The days, each a compact JSON `DayEntry` (see `packEntry`). */
  e: string[];
}

/**
 * One day as stored: a compact JSON string. FerretDB turns every field of a nested object into
 * jsonb with real per-field cost; a string per day writes 2-3x faster and reads back just as easily.
 */
export function packEntry(entry: DayEntry): string {
  return JSON.stringify(entry);
}

/** A stored day back as a `DayEntry` (older documents may hold the object itself). */
export function unpackEntry(stored: unknown): DayEntry {
  return typeof stored === 'string' ? (JSON.parse(stored) as DayEntry) : (stored as DayEntry);
}

/** Builds the stored document of one contribution. */
export function contributionDoc(week: WeekContribution, key: string): ContributionDoc {
  return {
    _id: contributionId(week.courseId, week.learnerRef, week.week, key),
    c: week.courseId,
    l: week.learnerRef,
    w: week.week,
    k: key,
    p: week.pending,
    e: week.entries.map(packEntry),
  };
}

/**
 * Stores contributions insert-only: a contribution stored before (same `_id`) is a duplicate-key error,
 * which is exactly the idempotency we want, and is counted in `duplicates` instead of raised. Batches of
 * 1,000 with 3 in flight, so parsing continues while the database writes.
 */
export class ContributionWriter extends InsertOnceWriter {
  /** `collection`: where the documents go (default the activity contributions). */
  constructor(options: { dryRun?: boolean; collection?: Collection } = {}) {
    super(options.collection ?? ActivityWeek.collection, BATCH, IN_FLIGHT, options.dryRun);
  }

  /** Documents stored by this writer (in a dry run: that would have been). */
  get written(): number {
    return this.inserted;
  }
}
