import { dayNumber, type ActivityEvent } from '../domain/activity';
import { CATEGORY_FIELD, DayEntry, weekOfDay } from './dayEntry';
import { recordInsightExtras } from '../insights/dayExtras';

/** A gap longer than this starts a new session. */
export const SESSION_GAP_MS = 30 * 60_000;
/** The most video time one play (until the next video event) is credited with. */
export const MAX_PLAY_CREDIT_MS = 30 * 60_000;

interface DayState {
  entry: DayEntry;
  bucket: string;
  courseId: string;
  learnerRef: string;
  pending: boolean;
  lastT: number;
  sessionStart: number;
  /** Time of the play still running, or -1. */
  playT: number;
}

/** One learner-week's entries from one aggregation window, ready to be stored as a contribution. */
export interface WeekContribution {
  courseId: string;
  learnerRef: string;
  pending: boolean;
  week: number;
  entries: DayEntry[];
}

/**
 * Folds events into per-(course, learner, UTC day) entries as they stream by: counts by category,
 * problems attempted/correct, sessions (30-minute gap), time on task (the sum of gaps within
 * sessions), longest session, video seconds (play until the next video event, capped at 30 min).
 * Memory is one small state per learner-day in the window; `drain()` empties it.
 */
export class DayAggregator {
  private readonly days = new Map<string, DayState>();

  get size(): number {
    return this.days.size;
  }

  /** Adds one resolved event. */
  add(event: ActivityEvent, courseId: string, learnerRef: string, pending: boolean): void {
    const t = event.time.getTime();
    const day = dayNumber(t);
    const key = `${courseId}|${learnerRef}|${day}`;
    let state = this.days.get(key);
    if (!state) {
      state = {
        entry: { d: day, s: 1, t: 0, ls: 0, fa: t, la: t },
        bucket: `${courseId}|${learnerRef}|${weekOfDay(day)}`,
        courseId,
        learnerRef,
        pending,
        lastT: t,
        sessionStart: t,
        playT: -1,
      };
      this.days.set(key, state);
    }
    const entry = state.entry;
    const field = CATEGORY_FIELD[event.category];
    entry[field] = ((entry[field] as number | undefined) ?? 0) + 1;
    if (t > state.lastT) {
      const gap = t - state.lastT;
      if (gap > SESSION_GAP_MS) {
        entry.s! += 1;
        state.sessionStart = t;
      } else entry.t! += gap / 1000;
      state.lastT = t;
      entry.ls = Math.max(entry.ls!, (t - state.sessionStart) / 1000);
    }
    if (t < entry.fa!) entry.fa = t;
    if (t > entry.la!) entry.la = t;
    recordInsightExtras(entry, event);
    const details = event.details;
    if (details?.kind === 'video') this.video(state, details.action, t, details.watchedSeconds);
    else if (details?.kind === 'problem' && details.action === 'attempt') {
      entry.pa = (entry.pa ?? 0) + 1;
      if (details.success) entry.pk = (entry.pk ?? 0) + 1;
    }
  }

  /** Adds a whole day's counts at once (daily-count sources such as KDD daily). */
  addDay(courseId: string, learnerRef: string, pending: boolean, entry: DayEntry): void {
    const key = `${courseId}|${learnerRef}|${entry.d}`;
    const existing = this.days.get(key);
    if (existing) {
      for (const [k, v] of Object.entries(entry) as Array<[keyof DayEntry, number]>) {
        if (k !== 'd' && v) existing.entry[k] = ((existing.entry[k] as number | undefined) ?? 0) + v;
      }
      return;
    }
    this.days.set(key, {
      entry: { ...entry },
      bucket: `${courseId}|${learnerRef}|${weekOfDay(entry.d)}`,
      courseId,
      learnerRef,
      pending,
      lastT: 0,
      sessionStart: 0,
      playT: -1,
    });
  }

  private video(state: DayState, action: string, t: number, watchedSeconds?: number): void {
    const entry = state.entry;
    if (watchedSeconds !== undefined) {
      entry.vs = (entry.vs ?? 0) + watchedSeconds;
      return;
    }
    if (state.playT >= 0 && t >= state.playT) entry.vs = (entry.vs ?? 0) + Math.min(t - state.playT, MAX_PLAY_CREDIT_MS) / 1000;
    if (action === 'play') state.playT = t;
    else if (action === 'seek') state.playT = state.playT >= 0 ? t : -1;
    else state.playT = -1;
  }

  /** Empties the window, returning one contribution per learner-week, with rounded seconds. */
  drain(): WeekContribution[] {
    const weeks = new Map<string, WeekContribution>();
    for (const state of this.days.values()) {
      const entry = state.entry;
      if (entry.t !== undefined) entry.t = Math.round(entry.t);
      if (entry.ls !== undefined) entry.ls = Math.round(entry.ls);
      if (entry.vs !== undefined) entry.vs = Math.round(entry.vs);
      if (entry.t === 0) delete entry.t;
      if (entry.ls === 0) delete entry.ls;
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
