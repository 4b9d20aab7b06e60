import type { DailyActivity } from '../../domain/activity';

/** The course window a learner's days are read in: UTC day numbers. */
export interface CourseWindow {
  /** First day of week 0. */
  startDay: number;
  /** Course length in weeks. */
  weeks: number;
  /** Last day with data (exclusive bound is asOfDay + 1); days after it are ignored. */
  asOfDay: number;
}

/**
 * One learner's behaviour in interpretable units, after Feng et al.'s cluster features: when they
 * are active (active days per course week) and how (video watched, paused and skipped, forum
 * questions and answers, correct-answer ratio, answer revisions, session count and length).
 */
export interface BehaviourProfile {
  learnerId: string;
  /** Active days in each elapsed course week. */
  weekActiveDays: number[];
  activeDays: number;
  /** Course week (0-based) of the last active day; -1 when never active. */
  lastActiveWeek: number;
  lastActiveDay: number | null;
  videoMinutes: number;
  videoPauses: number;
  videoSeeks: number;
  forumEvents: number;
  forumThreads: number;
  forumReplies: number;
  problemsAttempted: number;
  problemsCorrect: number;
  problemRevisions: number;
  sessions: number;
  timeOnTaskMinutes: number;
}

/** Number of course weeks with data at `asOfDay` (1..weeks). */
export function elapsedWeeks(window: CourseWindow): number {
  return Math.max(1, Math.min(window.weeks, Math.floor((window.asOfDay - window.startDay) / 7) + 1));
}

/** Builds a learner's profile from their daily aggregates (days outside the window are ignored). */
export function behaviourProfile(learnerId: string, days: readonly DailyActivity[], window: CourseWindow): BehaviourProfile {
  const weeks = elapsedWeeks(window);
  const profile: BehaviourProfile = {
    learnerId,
    weekActiveDays: new Array<number>(weeks).fill(0),
    activeDays: 0,
    lastActiveWeek: -1,
    lastActiveDay: null,
    videoMinutes: 0,
    videoPauses: 0,
    videoSeeks: 0,
    forumEvents: 0,
    forumThreads: 0,
    forumReplies: 0,
    problemsAttempted: 0,
    problemsCorrect: 0,
    problemRevisions: 0,
    sessions: 0,
    timeOnTaskMinutes: 0,
  };
  for (const day of days) {
    if (day.day < window.startDay || day.day > window.asOfDay) continue;
    const week = Math.floor((day.day - window.startDay) / 7);
    if (week >= weeks) continue;
    if (!isActiveDay(day)) continue;
    profile.weekActiveDays[week]++;
    profile.activeDays++;
    if (profile.lastActiveDay === null || day.day > profile.lastActiveDay) {
      profile.lastActiveDay = day.day;
      profile.lastActiveWeek = week;
    }
    profile.videoMinutes += day.videoSeconds / 60;
    profile.videoPauses += day.videoPauses ?? 0;
    profile.videoSeeks += day.videoSeeks ?? 0;
    profile.forumEvents += day.counts.forum ?? 0;
    profile.forumThreads += day.forumThreads ?? 0;
    profile.forumReplies += day.forumReplies ?? 0;
    profile.problemsAttempted += day.problemsAttempted;
    profile.problemsCorrect += day.problemsCorrect;
    profile.problemRevisions += day.problemRevisions ?? 0;
    profile.sessions += day.sessions;
    profile.timeOnTaskMinutes += day.timeOnTask / 60;
  }
  return profile;
}

/** A day counts as active when it holds any learning event (enrolment, grade and certificate records alone do not). */
export function isActiveDay(day: DailyActivity): boolean {
  for (const [category, n] of Object.entries(day.counts)) {
    if (n && category !== 'enrollment' && category !== 'grade' && category !== 'certificate') return true;
  }
  return false;
}

/** Derived rates shown in cluster profiles and used as clustering inputs. */
export function behaviourRates(p: BehaviourProfile) {
  return {
    correctRatio: p.problemsAttempted > 0 ? p.problemsCorrect / p.problemsAttempted : 0,
    revisionsPerProblem: p.problemsAttempted > 0 ? p.problemRevisions / p.problemsAttempted : 0,
    pausesPerVideoHour: p.videoMinutes > 0 ? (60 * p.videoPauses) / p.videoMinutes : 0,
    seeksPerVideoHour: p.videoMinutes > 0 ? (60 * p.videoSeeks) / p.videoMinutes : 0,
    sessionMinutes: p.sessions > 0 ? p.timeOnTaskMinutes / p.sessions : 0,
  };
}
