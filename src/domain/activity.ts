/**
 * The normalized activity vocabulary shared by every layer: ingestion maps each source onto
 * `ActivityEvent`, storage keeps `DailyActivity` aggregates, features read them back.
 */

/** Categories every source is mapped onto (see docs/activity-mapping.md). */
export const ACTIVITY_CATEGORIES = [
  'video',
  'problem',
  'forum',
  'navigate',
  'access',
  'page_close',
  'wiki',
  'enrollment',
  'grade',
  'certificate',
  'other',
] as const;
export type ActivityCategory = (typeof ACTIVITY_CATEGORIES)[number];

/** The sources events arrive from. */
export type ActivitySource =
  | 'tracking-log'
  | 'xapi'
  | 'caliper'
  | 'canvas-live'
  | 'canvas-rest'
  | 'openedx-rest'
  | 'kdd'
  | 'kdd-daily';

export type Platform = 'openedx' | 'canvas' | 'moodle' | 'kdd';

export interface VideoDetails {
  kind: 'video';
  /** play, pause, seek, stop, load, speed_change, complete ... */
  action: string;
  /** Position in the video, seconds (for a seek: where it jumped to). */
  position?: number;
  /** For a seek: the position it jumped from, seconds. */
  fromPosition?: number;
  /** Seconds watched credited by this event (estimated by ingestion when the source gives positions only). */
  watchedSeconds?: number;
  duration?: number;
}

export interface ProblemDetails {
  kind: 'problem';
  action: string;
  success?: boolean;
  /** Score as a fraction 0..1 when known. */
  score?: number;
  attempts?: number;
}

export interface ForumDetails {
  kind: 'forum';
  /** thread_created, response_created, comment_created, viewed, voted, searched ... */
  action: string;
}

export type ActivityDetails = VideoDetails | ProblemDetails | ForumDetails | { kind: 'other'; action: string };

/** One learner action, normalized from any source. */
export interface ActivityEvent {
  platform: Platform;
  source: ActivitySource;
  /** Platform course / context id (e.g. `course-v1:Org+Course+Run`, Canvas course id). */
  courseId: string;
  /** Platform-scoped learner id as the source gives it (username, user id, anonymous id, Canvas user id). */
  learnerKey: string;
  /** What kind of id `learnerKey` is, so identity resolution can map it to a course learner. */
  learnerKeyType: 'username' | 'user_id' | 'anonymous_id' | 'canvas_user_id' | 'lti_sub' | 'enrollment_id';
  time: Date;
  category: ActivityCategory;
  /** The source's own event name (kept for `other` so unknown types are reported, not dropped). */
  name: string;
  objectId?: string;
  sessionId?: string;
  details?: ActivityDetails;
  /** Stable id when the source has one (xAPI statement id), else a content hash made by ingestion. */
  eventId?: string;
}

/** Per-category event counts for one learner-day. */
export type CategoryCounts = Partial<Record<ActivityCategory, number>>;

/** One learner's activity on one UTC day: the unit the nightly read path and the features work on. */
export interface DailyActivity {
  /** UTC day number: days since 1970-01-01. */
  day: number;
  counts: CategoryCounts;
  videoSeconds: number;
  problemsAttempted: number;
  problemsCorrect: number;
  sessions: number;
  /** Estimated time on task, seconds. */
  timeOnTask: number;
  /** Longest session, seconds. */
  longestSession: number;
  firstEventAt?: number;
  lastEventAt?: number;
  /**
   * Insights (issue 8), optional so older buckets stay valid; filled by `recordInsightExtras` in
   * src/insights/dayExtras.ts (stored compactly in ingest's DayEntry), which the aggregator calls once per event.
   * Events by UTC hour of day, sparse: key "0".."23" -> count (day-by-hour heatmap).
   */
  hours?: Record<string, number>;
  /** Video pause and seek (skip) events (insights clusters). */
  videoPauses?: number;
  videoSeeks?: number;
  /** Forum threads started (questions) and responses/comments (answers) (insights clusters). */
  forumThreads?: number;
  forumReplies?: number;
  /** Problem submissions after the first on the same problem (answer revisions; insights clusters). */
  problemRevisions?: number;
}

/** A learner-day with the given fields and every figure not given at zero. */
export function dailyActivity(day: number, fields: Partial<Omit<DailyActivity, 'day'>> = {}): DailyActivity {
  return { day, counts: {}, videoSeconds: 0, problemsAttempted: 0, problemsCorrect: 0, sessions: 0, timeOnTask: 0, longestSession: 0, ...fields };
}

/** UTC day number of a date. */
export function dayNumber(time: Date | number): number {
  const ms = typeof time === 'number' ? time : time.getTime();
  return Math.floor(ms / 86_400_000);
}

/** The Date at 00:00 UTC of a day number. */
export function dayStart(day: number): Date {
  return new Date(day * 86_400_000);
}
