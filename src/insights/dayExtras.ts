import type { ActivityEvent, DailyActivity } from '../domain/activity';

type Hour = 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9 | 10 | 11 | 12 | 13 | 14 | 15 | 16 | 17 | 18 | 19 | 20 | 21 | 22 | 23;
/** Stored field of each UTC hour's event count: `h0`..`h23`. */
export type HourField = `h${Hour}`;
export const HOUR_FIELDS = Array.from({ length: 24 }, (_, h) => `h${h}` as HourField);

/**
 * The insight fields of one stored learner-day, in the compact form of ingest's `DayEntry`
 * (which extends this; every field is a number, as the rest of the entry): `h0`..`h23` events by
 * UTC hour (sparse: only hours with events), `vp`/`vk` video pauses/seeks, `ft`/`fr` forum threads
 * started/replies, `pr` answer revisions (submissions after the first on a problem). All optional:
 * buckets written before they existed stay valid.
 */
export type InsightEntryFields = { [K in HourField]?: number } & {
  vp?: number;
  vk?: number;
  ft?: number;
  fr?: number;
  pr?: number;
};

const COUNTERS = ['vp', 'vk', 'ft', 'fr', 'pr', ...HOUR_FIELDS] as const;

/**
 * Adds one event's contribution to a learner-day's insight fields. Ingest's `DayAggregator.add`
 * calls it once per accepted event; enrolment records do not count as activity.
 */
export function recordInsightExtras(entry: InsightEntryFields, event: ActivityEvent): void {
  if (event.category === 'enrollment') return;
  const hour = HOUR_FIELDS[event.time.getUTCHours()];
  entry[hour] = (entry[hour] ?? 0) + 1;
  const details = event.details;
  if (details?.kind === 'video') {
    if (details.action === 'pause') entry.vp = (entry.vp ?? 0) + 1;
    else if (details.action === 'seek') entry.vk = (entry.vk ?? 0) + 1;
  } else if (details?.kind === 'forum') {
    if (details.action === 'thread_created') entry.ft = (entry.ft ?? 0) + 1;
    else if (details.action === 'response_created' || details.action === 'comment_created') entry.fr = (entry.fr ?? 0) + 1;
  } else if (details?.kind === 'problem') {
    if (SUBMISSIONS.has(details.action) && (details.attempts ?? 1) > 1) entry.pr = (entry.pr ?? 0) + 1;
  }
}

/** Problem actions that are answer submissions, across sources. */
const SUBMISSIONS = new Set(['attempt', 'check', 'problem_check', 'answered', 'submitted', 'submission_created']);

/** Folds `b`'s insight fields into `a` (two contributions to the same day). */
export function mergeInsightFields(a: InsightEntryFields, b: InsightEntryFields): void {
  for (const key of COUNTERS) if (b[key]) a[key] = (a[key] ?? 0) + b[key]!;
}

/** The `DailyActivity` fields of a stored entry's insight fields (absent ones stay absent). */
export function insightFieldsToDaily(entry: InsightEntryFields): Pick<DailyActivity, 'hours' | 'videoPauses' | 'videoSeeks' | 'forumThreads' | 'forumReplies' | 'problemRevisions'> {
  const out: ReturnType<typeof insightFieldsToDaily> = {};
  HOUR_FIELDS.forEach((field, hour) => {
    if (entry[field]) (out.hours ??= {})[String(hour)] = entry[field]!;
  });
  if (entry.vp) out.videoPauses = entry.vp;
  if (entry.vk) out.videoSeeks = entry.vk;
  if (entry.ft) out.forumThreads = entry.ft;
  if (entry.fr) out.forumReplies = entry.fr;
  if (entry.pr) out.problemRevisions = entry.pr;
  return out;
}
