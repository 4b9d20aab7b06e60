import { dayNumber, type ActivityEvent } from '../domain/activity';
import { CATEGORY_FIELD, DayEntry, weekOfDay } from './dayEntry';

/** A gap longer than this starts a new session. */
export const SESSION_GAP_MS = 30 * 60_000;
/** Open video segments remembered at most (oldest forgotten first), to bound memory. */
const MAX_OPEN_SEGMENTS = 200_000;

interface DayState {
  entry: DayEntry;
  bucket: string;
  courseId: string;
  learnerRef: string;
  pending: boolean;
}

interface LearnerState {
  lastT: number;
  sessionStart: number;
}

/** One learner-week's entries from one aggregation window, ready to be stored as a contribution. */
export interface WeekContribution {
  courseId: string;
  learnerRef: string;
  pending: boolean;
  week: number;
  entries: DayEntry[];
}

const round3 = (x: number) => Math.round(x * 1000) / 1000;

/**
 * Folds events into per-(course, learner, UTC day) entries as they stream by:
 * - counts by category; problems attempted (`attempt` actions) and correct;
 * - sessions by a 30-minute inactivity gap per learner, counted on the day the session starts;
 *   time on task = the sum of gaps within sessions; longest session span;
 * - video seconds from positions: per learner, session and video a segment opens at `play`
 *   (position) or `seek` (to), and closes at `pause`/`stop`/`complete` (position) or `seek` (from);
 *   its length is credited to the day of the closing event. Sources that report watched seconds
 *   directly set `watchedSeconds` instead.
 * Events need not be globally time-ordered (generator files are ordered by learner, then time).
 * Memory: one small state per learner-day in the window, per learner, and per open video segment.
 */
export class DayAggregator {
  private readonly days = new Map<string, DayState>();
  private readonly learners = new Map<string, LearnerState>();
  private readonly segments = new Map<string, number>();

  get size(): number {
    return this.days.size;
  }

  /** Learner-days started since the last call (the caller counts distinct learner-days from these). */
  readonly started: Array<{ learner: string; day: number }> = [];

  private day(courseId: string, learnerRef: string, pending: boolean, day: number): DayState {
    const key = `${courseId}|${learnerRef}|${day}`;
    let state = this.days.get(key);
    if (!state) {
      state = { entry: { d: day }, bucket: `${courseId}|${learnerRef}|${weekOfDay(day)}`, courseId, learnerRef, pending };
      this.days.set(key, state);
      this.started.push({ learner: `${courseId}|${learnerRef}`, day });
    }
    return state;
  }

  /** Adds one resolved event. */
  add(event: ActivityEvent, courseId: string, learnerRef: string, pending: boolean): void {
    const t = event.time.getTime();
    const entry = this.day(courseId, learnerRef, pending, dayNumber(t)).entry;
    const field = CATEGORY_FIELD[event.category];
    entry[field] = ((entry[field] as number | undefined) ?? 0) + 1;
    if (entry.fa === undefined || t < entry.fa) entry.fa = t;
    if (entry.la === undefined || t > entry.la) entry.la = t;

    const learnerKey = `${courseId}|${learnerRef}`;
    const learner = this.learners.get(learnerKey);
    if (!learner || t - learner.lastT > SESSION_GAP_MS) {
      entry.s = (entry.s ?? 0) + 1;
      if (learner) {
        learner.lastT = t;
        learner.sessionStart = t;
      } else this.learners.set(learnerKey, { lastT: t, sessionStart: t });
    } else if (t > learner.lastT) {
      entry.t = (entry.t ?? 0) + (t - learner.lastT) / 1000;
      learner.lastT = t;
      const span = (t - learner.sessionStart) / 1000;
      if (span > (entry.ls ?? 0)) entry.ls = span;
    }

    const details = event.details;
    if (details?.kind === 'video') {
      if (details.watchedSeconds !== undefined) entry.vs = round3((entry.vs ?? 0) + details.watchedSeconds);
      else this.video(entry, `${learnerKey}|${event.sessionId ?? ''}|${event.objectId ?? ''}`, details.action, details.position, details.fromPosition);
    } else if (details?.kind === 'problem' && details.action === 'attempt') {
      entry.pa = (entry.pa ?? 0) + 1;
      if (details.success) entry.pk = (entry.pk ?? 0) + 1;
    }
  }

  private video(entry: DayEntry, key: string, action: string, position?: number, fromPosition?: number): void {
    const open = this.segments.get(key);
    if (action === 'play') {
      if (position !== undefined) this.open(key, position);
    } else if (action === 'seek') {
      if (open !== undefined && fromPosition !== undefined && fromPosition > open) entry.vs = round3((entry.vs ?? 0) + fromPosition - open);
      if (position !== undefined) this.open(key, position);
      else this.segments.delete(key);
    } else if (action === 'pause' || action === 'stop' || action === 'complete') {
      if (open !== undefined && position !== undefined && position > open) entry.vs = round3((entry.vs ?? 0) + position - open);
      this.segments.delete(key);
    }
  }

  private open(key: string, position: number): void {
    this.segments.delete(key);
    this.segments.set(key, position);
    if (this.segments.size > MAX_OPEN_SEGMENTS) this.segments.delete(this.segments.keys().next().value!);
  }

  /** Adds a whole day's counts at once (daily-count sources such as KDD daily). */
  addDay(courseId: string, learnerRef: string, pending: boolean, entry: DayEntry): void {
    const state = this.day(courseId, learnerRef, pending, entry.d);
    for (const [k, v] of Object.entries(entry) as Array<[keyof DayEntry, number]>) {
      if (k !== 'd' && v) state.entry[k] = ((state.entry[k] as number | undefined) ?? 0) + v;
    }
  }

  /** Empties the window (learner session state is kept), returning one contribution per learner-week. */
  drain(): WeekContribution[] {
    const weeks = new Map<string, WeekContribution>();
    for (const state of this.days.values()) {
      const entry = state.entry;
      if (entry.t !== undefined) entry.t = Math.round(entry.t);
      if (entry.ls !== undefined) entry.ls = Math.round(entry.ls);
      if (!entry.t) delete entry.t;
      if (!entry.ls) delete entry.ls;
      let week = weeks.get(state.bucket);
      if (!week) {
        week = { courseId: state.courseId, learnerRef: state.learnerRef, pending: state.pending, week: weekOfDay(entry.d), entries: [] };
        weeks.set(state.bucket, week);
      }
      week.entries.push(entry);
    }
    this.days.clear();
    for (const week of weeks.values()) week.entries.sort((a, b) => a.d - b.d);
    return [...weeks.values()];
  }
}
