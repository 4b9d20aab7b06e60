import type { Archetype } from './archetypes';
import type { CourseStructure, ProblemBlock } from './CourseStructure';
import type { SimulatedLearner } from './LearnerSimulator';

const DAY_MS = 86_400_000;

/** Days at the end of the course with no activity that make a learner a dropout. */
export const DROPOUT_WINDOW_DAYS = 10;

/** Ground truth for one learner (a line of truth.jsonl). */
export interface LearnerTruth {
  username: string;
  userId: number;
  canvasUserId: number;
  anonymousId: string;
  archetype: Archetype;
  enrolledAt: string;
  /** No counted activity on or after `dropoutCutoff` (see `dropoutCutoff`). */
  dropout: boolean;
  /** UTC date after the last active day when the learner dropped out, else null. */
  dropoutDay: string | null;
  /** UTC date of the last counted activity, null when never active. */
  lastActiveDay: string | null;
  /** Submitted graded work worth at least the passing grade (could still pass). */
  completion: boolean;
  /** Final grade >= passing grade. */
  passed: boolean;
  /** Passed in a course that offers certificates. */
  certificate: boolean;
  /** Final grade 0..1 (points earned on graded problems / points possible), 3 decimals. */
  finalGrade: number;
  /** Share of graded points submitted at least once in time, 3 decimals. */
  submittedShare: number;
  /** Number of counted activity records (tracking-log lines or Canvas live events). */
  events: number;
  activeDays: number;
  /** Learner's planted exit week (0-based; >= course weeks means never planned to leave). */
  plannedExitWeek: number;
  /** Whether the planted experiment effect applied to this learner. */
  treated: boolean;
}

/**
 * The first instant at which activity counts against dropout: the course end minus
 * `DROPOUT_WINDOW_DAYS`, or minus a third of the course when that is shorter.
 */
export function dropoutCutoff(course: CourseStructure): number {
  const lengthDays = (course.endAt - course.startAt) / DAY_MS;
  return course.endAt - Math.min(DROPOUT_WINDOW_DAYS, Math.floor(lengthDays / 3)) * DAY_MS;
}

/** Observed activity summary the writers produced for a learner. */
export interface ObservedActivity {
  events: number;
  activeDays: number;
  lastEventAt: number | undefined;
}

/** Computes a learner's outcomes from the simulated graded work and the activity actually written. */
export function learnerOutcomes(
  course: CourseStructure,
  learner: { username: string; userId: number; canvasUserId: number; anonymousId: string; archetype: Archetype },
  sim: SimulatedLearner,
  observed: ObservedActivity,
  graded: readonly ProblemBlock[],
): LearnerTruth {
  let earned = 0;
  let submitted = 0;
  let possiblePoints = 0;
  for (const problem of graded) {
    possiblePoints += problem.maxGrade;
    const result = sim.graded.get(problem.id);
    if (!result?.submitted) continue;
    submitted += problem.maxGrade;
    earned += result.earned;
  }
  const finalGrade = possiblePoints > 0 ? round3(earned / possiblePoints) : 0;
  const submittedShare = possiblePoints > 0 ? round3(submitted / possiblePoints) : 0;
  const passing = course.design.passingGrade;
  const dropout = observed.lastEventAt === undefined || observed.lastEventAt < dropoutCutoff(course);
  const lastActiveDay = observed.lastEventAt === undefined ? null : isoDay(observed.lastEventAt);
  return {
    username: learner.username,
    userId: learner.userId,
    canvasUserId: learner.canvasUserId,
    anonymousId: learner.anonymousId,
    archetype: learner.archetype,
    enrolledAt: new Date(sim.enrolledAt).toISOString(),
    dropout,
    dropoutDay: dropout ? isoDay((observed.lastEventAt ?? sim.enrolledAt) + DAY_MS) : null,
    lastActiveDay,
    completion: submittedShare >= passing,
    passed: finalGrade >= passing,
    certificate: course.design.certificateOffered && finalGrade >= passing,
    finalGrade,
    submittedShare,
    events: observed.events,
    activeDays: observed.activeDays,
    plannedExitWeek: sim.plannedExitWeek,
    treated: sim.treated,
  };
}

/** `YYYY-MM-DD` of an epoch ms in UTC. */
export function isoDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

function round3(value: number): number {
  return Math.round(value * 1000) / 1000;
}
