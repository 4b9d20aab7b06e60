import { ActivityWeek } from '../storage/models/ActivityWeek';
import type { WeekContribution } from './dayAggregator';
import type { DayEntry } from './dayEntry';

/** Documents per insertMany. */
const BATCH = 1000;
/** insertMany calls in flight at once, so parsing continues while the database writes. */
const IN_FLIGHT = 3;
const DUPLICATE_KEY = 11000;

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
 * Stores contributions with unordered `insertMany` in batches of a few thousand. Inserts only:
 * a contribution stored before (same `_id`) fails with a duplicate-key error, which is exactly
 * the idempotency we want, and is counted in `duplicates` instead of raised.
 */
export class ContributionWriter {
  written = 0;
  duplicates = 0;
  private pending: Array<{ _id: string }> = [];
  private readonly inFlight = new Set<Promise<void>>();
  private failure: unknown;

  /** `collection`: where the documents go (default the activity contributions). */
  constructor(private readonly options: { dryRun?: boolean; collection?: typeof ActivityWeek.collection } = {}) {}

  /** Queues documents; resolves once the number of writes in flight is back under the limit. */
  async add(docs: Array<{ _id: string }>): Promise<void> {
    for (const doc of docs) {
      this.pending.push(doc);
      if (this.pending.length >= BATCH) await this.send();
    }
  }

  /** Writes everything queued and waits for every write. */
  async flush(): Promise<void> {
    if (this.pending.length) await this.send();
    await Promise.all(this.inFlight);
    if (this.failure) throw this.failure;
  }

  private async send(): Promise<void> {
    const docs = this.pending;
    this.pending = [];
    if (this.options.dryRun) {
      this.written += docs.length;
      return;
    }
    while (this.inFlight.size >= IN_FLIGHT) await Promise.race(this.inFlight);
    if (this.failure) throw this.failure;
    const write: Promise<void> = this.insert(docs)
      .catch((error: unknown) => {
        this.failure ??= error;
      })
      .finally(() => this.inFlight.delete(write));
    this.inFlight.add(write);
  }

  private async insert(docs: Array<{ _id: string }>): Promise<void> {
    try {
      const result = await (this.options.collection ?? ActivityWeek.collection).insertMany(docs as never[], { ordered: false });
      this.written += result.insertedCount;
    } catch (error) {
      const writeErrors = writeErrorsOf(error);
      if (!writeErrors) throw error;
      const other = writeErrors.find((e) => e.code !== DUPLICATE_KEY);
      if (other) throw error;
      this.duplicates += writeErrors.length;
      this.written += docs.length - writeErrors.length;
    }
  }
}

function writeErrorsOf(error: unknown): Array<{ code: number }> | undefined {
  const e = error as { writeErrors?: Array<{ code: number }> | { code: number }; code?: number };
  if (Array.isArray(e.writeErrors)) return e.writeErrors;
  if (e.writeErrors) return [e.writeErrors];
  return e.code === DUPLICATE_KEY ? [{ code: DUPLICATE_KEY }] : undefined;
}
