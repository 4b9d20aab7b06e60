import type { ActivityCategory, DailyActivity } from '../domain/activity';
import { InsightEntryFields, insightFieldsToDaily, mergeInsightFields } from '../insights/dayExtras';

/**
 * The compact stored form of one learner-day inside an activity week document. Field names are
 * one or two letters because there is one of these per learner per active day.
 */
/** Extends the insight fields (hours, video pauses/seeks, forum threads/replies, revisions; issue 8, agreed with insights). */
export interface DayEntry extends InsightEntryFields {
  /** UTC day number. */
  d: number;
  v?: number; p?: number; f?: number; n?: number; a?: number; x?: number; w?: number;
  e?: number; g?: number; r?: number; o?: number;
  /** video seconds */
  vs?: number;
  /** problems attempted / correct */
  pa?: number; pk?: number;
  /** sessions, time on task (s), longest session (s) */
  s?: number; t?: number; ls?: number;
  /** first / last event time, epoch ms */
  fa?: number; la?: number;
}

/** Stored field for each category. */
export const CATEGORY_FIELD: Record<ActivityCategory, keyof DayEntry> = {
  video: 'v', problem: 'p', forum: 'f', navigate: 'n', access: 'a', page_close: 'x', wiki: 'w',
  enrollment: 'e', grade: 'g', certificate: 'r', other: 'o',
};
const CATEGORY_OF = Object.entries(CATEGORY_FIELD) as Array<[ActivityCategory, keyof DayEntry]>;
const SUMMED: Array<keyof DayEntry> = [...CATEGORY_OF.map(([, f]) => f), 'vs', 'pa', 'pk', 's', 't'];

/** ISO week number of a UTC day (weeks start on Monday). */
export function weekOfDay(day: number): number {
  return Math.floor((day + 3) / 7);
}

/** Folds `b` into `a` (same day): sums counts, keeps the longest session and the outer event times. */
export function mergeEntry(a: DayEntry, b: DayEntry): DayEntry {
  for (const field of SUMMED) {
    const value = b[field];
    if (value) a[field] = ((a[field] ?? 0) as number) + value;
  }
  if (b.ls !== undefined) a.ls = Math.max(a.ls ?? 0, b.ls);
  if (b.fa !== undefined) a.fa = a.fa === undefined ? b.fa : Math.min(a.fa, b.fa);
  if (b.la !== undefined) a.la = a.la === undefined ? b.la : Math.max(a.la, b.la);
  mergeInsightFields(a, b);
  return a;
}

/** Merges entries of any number of contributions into one entry per day, sorted by day. */
export function mergeEntries(entries: Iterable<DayEntry>): DayEntry[] {
  const byDay = new Map<number, DayEntry>();
  for (const entry of entries) {
    const current = byDay.get(entry.d);
    if (current) mergeEntry(current, entry);
    else byDay.set(entry.d, mergeEntry({ d: entry.d }, entry));
  }
  return [...byDay.values()].sort((x, y) => x.d - y.d);
}

/** The shared `DailyActivity` view of a stored entry. */
export function toDailyActivity(entry: DayEntry): DailyActivity {
  const counts: DailyActivity['counts'] = {};
  for (const [category, field] of CATEGORY_OF) {
    const value = entry[field];
    if (value) counts[category] = value;
  }
  return {
    day: entry.d,
    counts,
    videoSeconds: entry.vs ?? 0,
    problemsAttempted: entry.pa ?? 0,
    problemsCorrect: entry.pk ?? 0,
    sessions: entry.s ?? 0,
    timeOnTask: entry.t ?? 0,
    longestSession: entry.ls ?? 0,
    firstEventAt: entry.fa,
    lastEventAt: entry.la,
    ...insightFieldsToDaily(entry),
  };
}
