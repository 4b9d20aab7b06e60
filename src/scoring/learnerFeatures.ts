import { dailyActivity, dayStart, type DailyActivity } from '../domain/activity';
import type { Window } from '../features/channels';
import { activitySequence, learnerFeatures } from '../features/WeeklyFeatures';
import { SCORING_SPEC } from './scoringSpec';

/** The activity figures a Score carries (messages, nudges and the learner table show them). */
export interface ActivityFigures {
  lastActiveAt: Date | null;
  activeDays: number;
  lastWeekMinutes: number;
  lastWeekProblems: number;
  lastWeekVideoMinutes: number;
  totalMinutes: number;
}

/** One learner's model inputs for one run: base features and activity sequence, plus the two "what would help" variants. */
export interface LearnerFeatureSet {
  window: Window;
  base: Float32Array;
  sequence: Float32Array;
  /** Features had the learner watched one more hour of video on the last day. */
  plusVideoHour: { base: Float32Array; sequence: Float32Array };
  /** Features had the learner solved one more problem on the last day. */
  plusProblem: { base: Float32Array; sequence: Float32Array };
  activity: ActivityFigures;
}

/** Video events a learner with no video history is assumed to produce per hour watched. */
const DEFAULT_VIDEO_EVENTS_PER_HOUR = 12;
/** Problem events assumed per solved problem when the learner has attempted none. */
const DEFAULT_PROBLEM_EVENTS_PER_SOLVE = 2;

/**
 * Computes a learner's features over a window with the models' pure feature functions, and the features
 * of two counterfactual histories used for the "what would help" estimates: one more hour of video, and
 * one more problem solved, both on the window's last day, with as many extra events as the learner's own
 * events-per-hour (per-problem) ratio implies.
 */
export function featurizeLearner(days: readonly DailyActivity[], window: Window): LearnerFeatureSet {
  const inWindow = days.filter((d) => d.day >= window.start && d.day <= window.end);
  const of = (history: readonly DailyActivity[]) => ({
    base: Float32Array.from(learnerFeatures(history, window, SCORING_SPEC)),
    sequence: Float32Array.from(activitySequence(history, window, SCORING_SPEC, SCORING_SPEC.steps, SCORING_SPEC.stepDays)),
  });
  let videoEvents = 0, videoSeconds = 0, problemEvents = 0, attempted = 0;
  for (const d of inWindow) {
    videoEvents += d.counts.video ?? 0;
    videoSeconds += d.videoSeconds;
    problemEvents += d.counts.problem ?? 0;
    attempted += d.problemsAttempted;
  }
  const videoEventsPerHour = videoSeconds > 0 ? Math.max(1, Math.round((videoEvents * 3600) / videoSeconds)) : DEFAULT_VIDEO_EVENTS_PER_HOUR;
  const problemEventsPerSolve = attempted > 0 ? Math.max(1, Math.round(problemEvents / attempted)) : DEFAULT_PROBLEM_EVENTS_PER_SOLVE;
  const current = of(inWindow);
  return {
    window,
    ...current,
    plusVideoHour: of(withExtra(inWindow, window.end, (d) => {
      d.videoSeconds += 3600;
      d.counts.video = (d.counts.video ?? 0) + videoEventsPerHour;
    })),
    plusProblem: of(withExtra(inWindow, window.end, (d) => {
      d.problemsAttempted += 1;
      d.problemsCorrect += 1;
      d.counts.problem = (d.counts.problem ?? 0) + problemEventsPerSolve;
    })),
    activity: activityFigures(inWindow, window.end),
  };
}

/** A copy of the history with `change` applied to the given day (created, with one session, if it had no activity). */
function withExtra(days: readonly DailyActivity[], day: number, change: (d: DailyActivity) => void): DailyActivity[] {
  const out = days.map((d) => (d.day === day ? { ...d, counts: { ...d.counts } } : d));
  let target = out.find((d) => d.day === day);
  if (!target) {
    target = dailyActivity(day, { sessions: 1 });
    out.push(target);
  }
  change(target);
  return out;
}

/** Activity figures over the days read (the lookback window); "last week" is the window's last seven days. */
export function activityFigures(days: readonly DailyActivity[], lastDay: number): ActivityFigures {
  const figures: ActivityFigures = { lastActiveAt: null, activeDays: 0, lastWeekMinutes: 0, lastWeekProblems: 0, lastWeekVideoMinutes: 0, totalMinutes: 0 };
  let lastActive = -Infinity;
  for (const d of days) {
    const events = Object.values(d.counts).reduce((s, v) => s + (v ?? 0), 0);
    if (events <= 0) continue;
    figures.activeDays++;
    figures.totalMinutes += d.timeOnTask / 60;
    if (d.day > lastActive) {
      lastActive = d.day;
      figures.lastActiveAt = d.lastEventAt !== undefined ? new Date(d.lastEventAt) : dayStart(d.day);
    }
    if (d.day > lastDay - 7) {
      figures.lastWeekMinutes += d.timeOnTask / 60;
      figures.lastWeekProblems += d.problemsAttempted;
      figures.lastWeekVideoMinutes += d.videoSeconds / 60;
    }
  }
  const round1 = (x: number) => Math.round(x * 10) / 10;
  figures.totalMinutes = round1(figures.totalMinutes);
  figures.lastWeekMinutes = round1(figures.lastWeekMinutes);
  figures.lastWeekVideoMinutes = round1(figures.lastWeekVideoMinutes);
  return figures;
}
