import type { DailyActivity } from '../domain/activity';
import type { Window } from './channels';
import { contextFeatures, contextNames, populationStats, type PopulationStats } from './ContextFeatures';
import { activitySequence, featureGroups, featureNames, learnerFeatures, sequenceStepSize, type FeatureSpec } from './WeeklyFeatures';

/** Everything that fixes the layout of a model's inputs; stored with every model. */
export interface TableSpec extends FeatureSpec {
  /** Periods in the activity sequence fed to the LSTM and their length in days. */
  steps: number;
  stepDays: number;
}

/** One learner as the features see it. */
export interface LearnerInput {
  days: readonly DailyActivity[];
  /** The learner's own window; defaults to the course window (pass a later start for late enrolment). */
  window?: Window;
}

/** Names of the base features whose course means describe the course as a whole. */
const COURSE_LEVEL = ['recency', 'active_days', 'week0_active', 'week0_events', 'total_events', 'first_seen', 'inactive'];

/** A course's learners as model inputs: flat vectors (base, context, course-level) and activity sequences. */
export interface CourseTable {
  /** Row-major, `learners × flatWidth`. */
  flat: Float32Array;
  /** Row-major, `learners × steps × stepSize`. */
  sequence: Float32Array;
  /** The course population statistics the context columns were computed against (kept for explanations). */
  stats: PopulationStats;
  rows: number;
}

/** Names of the flat input columns, in order: base features, their context statistics, course-level means. */
export function flatNames(spec: TableSpec): string[] {
  const base = featureNames(spec);
  return [...base, ...contextNames(base), ...COURSE_LEVEL.map((n) => `course_mean_${n}`)];
}

/** Width of one activity-sequence step. */
export function stepSize(spec: TableSpec): number {
  return sequenceStepSize(spec);
}

/**
 * For CFIN: per feature group, the flat column indices of each member feature's views
 * (raw, z-score, percentile, difference to median), `group → feature → 4 columns`.
 */
export function contextViews(spec: TableSpec): { name: string; columns: number[][] }[] {
  const width = featureNames(spec).length;
  return featureGroups(spec).map((group) => ({
    name: group.name,
    columns: group.indices.map((j) => [j, width + j, 2 * width + j, 3 * width + j]),
  }));
}

/** Column indices of the base (learner-only) features in the flat vector. */
export function baseColumns(spec: TableSpec): number[] {
  return featureNames(spec).map((_, j) => j);
}

/** Column indices of the base and context columns (everything but the course-level means). */
export function learnerColumns(spec: TableSpec): number[] {
  return Array.from({ length: featureNames(spec).length * 4 }, (_, j) => j);
}

/** Column indices of the course-level columns in the flat vector. */
export function courseLevelColumns(spec: TableSpec): number[] {
  const start = featureNames(spec).length * 4;
  return COURSE_LEVEL.map((_, k) => start + k);
}

/**
 * Builds the model inputs for every learner of one course: base features over each learner's window,
 * context statistics against this course's population, course-level means, and the activity sequence.
 */
export function courseTable(learners: readonly LearnerInput[], courseWindow: Window, spec: TableSpec, stats?: PopulationStats): CourseTable {
  const base = learners.map((l) => learnerFeatures(l.days, l.window ?? courseWindow, spec));
  const population = stats ?? populationStats(base);
  const names = featureNames(spec);
  const courseLevel = COURSE_LEVEL.map((n) => population.mean[names.indexOf(n)]);
  const width = names.length * 4 + courseLevel.length;
  const size = sequenceStepSize(spec);
  const flat = new Float32Array(learners.length * width);
  const sequence = new Float32Array(learners.length * spec.steps * size);
  learners.forEach((learner, i) => {
    const context = contextFeatures(base[i], population);
    flat.set(base[i], i * width);
    flat.set(context, i * width + names.length);
    flat.set(courseLevel, i * width + names.length * 4);
    sequence.set(activitySequence(learner.days, learner.window ?? courseWindow, spec, spec.steps, spec.stepDays), i * spec.steps * size);
  });
  return { flat, sequence, stats: population, rows: learners.length };
}
