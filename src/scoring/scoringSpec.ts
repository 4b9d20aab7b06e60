import type { TableSpec } from '../features/featureTable';
import type { Window } from '../features/channels';

/**
 * The feature layout of Keepup's own models (the shipped default and per-course models): the event
 * categories every connector fills, plus video seconds, problems attempted/correct and sessions
 * (time on task is left out: not every source estimates it), four trailing weeks, eight weekly steps.
 */
export const SCORING_SPEC: TableSpec = {
  channels: ['video', 'problem', 'forum', 'navigate', 'access', 'page_close', 'videoSeconds', 'problemsAttempted', 'problemsCorrect', 'sessions'],
  weeks: 4,
  steps: 8,
  stepDays: 7,
};

/** Days of activity the features look back over (the sequence's span): bounds what a run reads per learner. */
export const LOOKBACK_DAYS = SCORING_SPEC.steps * SCORING_SPEC.stepDays;

/**
 * A learner's feature window ending on `asOfDay`: from the latest of the course start, the learner's
 * enrolment and the lookback limit. A late enrolee's window starts at enrolment, so days before it are not
 * counted as inactivity; a learner enrolled after `asOfDay` gets a one-day window.
 */
export function learnerWindow(asOfDay: number, options: { courseStartDay?: number | null; enrolledDay?: number | null }): Window {
  let start = asOfDay - LOOKBACK_DAYS + 1;
  if (options.courseStartDay != null) start = Math.max(start, options.courseStartDay);
  if (options.enrolledDay != null) start = Math.max(start, options.enrolledDay);
  return { start: Math.min(start, asOfDay), end: asOfDay };
}
