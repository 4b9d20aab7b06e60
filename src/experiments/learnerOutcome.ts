import type { DailyActivity } from '../domain/activity';

/** Days without activity at the end of the window that count as dropping out (the KDD Cup 2015 definition uses 10). */
export const DROPOUT_QUIET_DAYS = 10;

/** The outcome metrics of the XuetangX experiment plus engagement, per learner over a window. */
export interface LearnerOutcome {
  videoMinutes: number;
  /** Graded problems submitted (XuetangX's "assignments completed"). */
  assignmentsCompleted: number;
  /** problems correct / problems attempted; null when none were attempted. */
  correctRatio: number | null;
  activeDays: number;
  /** 1 when the learner had no activity in the last min(10, window length) days of the window, else 0. */
  dropout: 0 | 1;
}

/** The metric names in display order, with labels and units. */
export const OUTCOME_METRICS = [
  { key: 'videoMinutes', label: 'Video time', unit: 'minutes' },
  { key: 'assignmentsCompleted', label: 'Assignments completed', unit: 'problems' },
  { key: 'correctRatio', label: 'Correct-answer ratio', unit: 'share' },
  { key: 'activeDays', label: 'Active days', unit: 'days' },
  { key: 'dropout', label: 'Dropout', unit: 'share' },
] as const;
export type OutcomeMetric = (typeof OUTCOME_METRICS)[number]['key'];

/** Whether a day shows any learning activity (enrollment events alone do not count). */
export function isActiveDay(day: DailyActivity): boolean {
  if (day.timeOnTask > 0 || day.videoSeconds > 0 || day.problemsAttempted > 0) return true;
  return Object.entries(day.counts).some(([category, n]) => category !== 'enrollment' && (n ?? 0) > 0);
}

/** Computes one learner's outcomes from their daily activity, counting only days inside [fromDay, toDay]. */
export function learnerOutcome(days: readonly DailyActivity[], window: { fromDay: number; toDay: number }): LearnerOutcome {
  if (window.toDay < window.fromDay) throw new RangeError('the outcome window ends before it starts');
  let videoSeconds = 0;
  let attempted = 0;
  let correct = 0;
  let activeDays = 0;
  let lastActive = -Infinity;
  for (const day of days) {
    if (day.day < window.fromDay || day.day > window.toDay) continue;
    videoSeconds += Math.max(0, day.videoSeconds || 0);
    attempted += Math.max(0, day.problemsAttempted || 0);
    correct += Math.max(0, day.problemsCorrect || 0);
    if (isActiveDay(day)) {
      activeDays++;
      lastActive = Math.max(lastActive, day.day);
    }
  }
  const length = window.toDay - window.fromDay + 1;
  const quietFrom = window.toDay - Math.min(DROPOUT_QUIET_DAYS, length) + 1;
  return {
    videoMinutes: videoSeconds / 60,
    assignmentsCompleted: attempted,
    correctRatio: attempted > 0 ? Math.min(1, correct / attempted) : null,
    activeDays,
    dropout: lastActive >= quietFrom ? 0 : 1,
  };
}
