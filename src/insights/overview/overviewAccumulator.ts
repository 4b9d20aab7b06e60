import type { ActivityCategory, DailyActivity } from '../../domain/activity';
import { CourseWindow, elapsedWeeks, isActiveDay } from '../clustering/behaviourProfile';
import { LocalClock } from './localClock';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

/** Categories shown in the activity mix (enrolment, grade and certificate records are not activity). */
export const MIX_CATEGORIES: ActivityCategory[] = ['video', 'problem', 'forum', 'navigate', 'access', 'page_close', 'wiki', 'other'];

/** Active-day bins of the engagement-against-outcome chart. */
export const ACTIVE_DAY_BINS: Array<{ label: string; min: number; max: number }> = [
  { label: '0', min: 0, max: 0 },
  { label: '1-2', min: 1, max: 2 },
  { label: '3-5', min: 3, max: 5 },
  { label: '6-10', min: 6, max: 10 },
  { label: '11-20', min: 11, max: 20 },
  { label: '21+', min: 21, max: Infinity },
];

/** What the overview shows for one course at one date. */
export interface CourseOverview {
  weeks: Array<{ week: number; startDay: number }>;
  /** Learners with any activity in each course week. */
  weeklyActive: number[];
  /** Events per category per course week. */
  mix: Record<string, number[]>;
  /** Events by local weekday (rows, Monday first) and hour (columns) in the course's time zone. */
  heatmap: number[][];
  timeZone: string;
  /** Share of heatmap events placed from first/last event times because the day had no hour counts. */
  heatmapEstimatedShare: number;
  /** Nested funnel at `asOfDay`: enrolled -> active in the last 7 days -> of those submitting answers -> of those on track. */
  funnel: { enrolled: number; activeThisWeek: number; submittingWork: number; onTrack: number | null };
  /** Per learner active days (this course run), for engagement against outcome. */
  activeDaysByLearner: Map<string, number>;
}

/**
 * Streams learners' daily aggregates into the overview figures: weekly active learners, activity
 * mix per week, the day-by-hour heatmap in the course's time zone (from each day's UTC hour counts;
 * days stored without them are placed half at the first and half at the last event's hour, and
 * counted in `heatmapEstimatedShare`), and the funnel. Memory: one number per learner.
 */
export class OverviewAccumulator {
  private readonly weeks: number;
  private readonly weeklyActive: number[];
  private readonly mix: Record<string, number[]>;
  private readonly heatmap = Array.from({ length: 7 }, () => new Array<number>(24).fill(0));
  private readonly clock: LocalClock;
  private readonly activeDaysByLearner = new Map<string, number>();
  private heatmapTotal = 0;
  private heatmapEstimated = 0;
  private activeThisWeek = 0;
  private submittingWork = 0;
  private onTrack = 0;
  private onTrackKnown = false;

  constructor(private readonly window: CourseWindow, timeZone: string) {
    this.weeks = elapsedWeeks(window);
    this.weeklyActive = new Array<number>(this.weeks).fill(0);
    this.mix = Object.fromEntries(MIX_CATEGORIES.map((c) => [c, new Array<number>(this.weeks).fill(0)]));
    this.clock = new LocalClock(timeZone);
  }

  /** Adds one learner. `onTrack`: the latest completion prediction says they can pass (undefined when unscored). */
  add(learnerId: string, days: readonly DailyActivity[], onTrack?: boolean): void {
    const activeWeeks = new Set<number>();
    let activeDays = 0;
    let recent = false;
    let recentAnswers = false;
    for (const day of days) {
      if (day.day < this.window.startDay || day.day > this.window.asOfDay || !isActiveDay(day)) continue;
      const week = Math.floor((day.day - this.window.startDay) / 7);
      if (week >= this.weeks) continue;
      activeDays++;
      activeWeeks.add(week);
      for (const category of MIX_CATEGORIES) this.mix[category][week] += day.counts[category] ?? 0;
      if (day.day > this.window.asOfDay - 7) {
        recent = true;
        if (day.problemsAttempted > 0) recentAnswers = true;
      }
      this.placeHours(day);
    }
    for (const week of activeWeeks) this.weeklyActive[week]++;
    this.activeDaysByLearner.set(learnerId, activeDays);
    if (onTrack !== undefined) this.onTrackKnown = true;
    if (recent) {
      this.activeThisWeek++;
      if (recentAnswers) {
        this.submittingWork++;
        if (onTrack) this.onTrack++;
      }
    }
  }

  private placeHours(day: DailyActivity): void {
    if (day.hours) {
      for (const [hour, n] of Object.entries(day.hours)) this.place(day.day * DAY_MS + Number(hour) * HOUR_MS + HOUR_MS / 2, n);
      return;
    }
    let events = 0;
    for (const category of MIX_CATEGORIES) events += day.counts[category] ?? 0;
    if (!events || day.firstEventAt === undefined) return;
    const last = day.lastEventAt ?? day.firstEventAt;
    this.place(day.firstEventAt, events / 2);
    this.place(last, events / 2);
    this.heatmapEstimated += events;
  }

  private place(ms: number, n: number): void {
    const { weekday, hour } = this.clock.at(ms);
    this.heatmap[weekday][hour] += n;
    this.heatmapTotal += n;
  }

  /** The figures; `enrolled` is the roster size (learners without any activity included). */
  result(enrolled: number): CourseOverview {
    return {
      weeks: Array.from({ length: this.weeks }, (_, week) => ({ week, startDay: this.window.startDay + week * 7 })),
      weeklyActive: this.weeklyActive,
      mix: this.mix,
      heatmap: this.heatmap.map((row) => row.map((n) => Math.round(n * 10) / 10)),
      timeZone: this.clock.timeZone,
      heatmapEstimatedShare: this.heatmapTotal > 0 ? Math.round((this.heatmapEstimated / this.heatmapTotal) * 1000) / 1000 : 0,
      funnel: { enrolled: Math.max(enrolled, this.activeDaysByLearner.size), activeThisWeek: this.activeThisWeek, submittingWork: this.submittingWork, onTrack: this.onTrackKnown ? this.onTrack : null },
      activeDaysByLearner: this.activeDaysByLearner,
    };
  }
}

/** The busiest local weekday and hour of a heatmap (ties: earliest). */
export function busiestHour(heatmap: number[][]): { weekday: number; hour: number; events: number } {
  let best = { weekday: 0, hour: 0, events: -1 };
  heatmap.forEach((row, weekday) => row.forEach((events, hour) => {
    if (events > best.events) best = { weekday, hour, events };
  }));
  return best;
}

/**
 * Engagement against outcome: learners and completion rate per active-days bin, from learners whose
 * outcome is known (past runs, or this run once it ended).
 */
export function engagementAgainstOutcome(rows: Iterable<{ activeDays: number; completed: boolean }>): Array<{ bin: string; learners: number; completed: number; completionRate: number | null }> {
  const bins = ACTIVE_DAY_BINS.map((b) => ({ bin: b.label, learners: 0, completed: 0, completionRate: null as number | null }));
  for (const row of rows) {
    const i = ACTIVE_DAY_BINS.findIndex((b) => row.activeDays >= b.min && row.activeDays <= b.max);
    bins[i].learners++;
    if (row.completed) bins[i].completed++;
  }
  for (const b of bins) b.completionRate = b.learners > 0 ? Math.round((b.completed / b.learners) * 1000) / 1000 : null;
  return bins;
}
