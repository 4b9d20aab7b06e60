import { invertSpd, quantileSorted, solveSpd } from '../linearAlgebra';
import { SeededRandom } from '../random';
import { DESIGN_FEATURES, DesignFeature, DesignVector, FEATURE_INFO } from './designFeatures';

/** One course with known completion: its design and how many of its learners completed. */
export interface CourseCompletionRow {
  courseId: string;
  title: string;
  features: DesignVector;
  learners: number;
  completed: number;
}

/** Fewest courses the model is fitted on; below it the view says so instead of showing a model. */
export const MIN_COURSES = 8;
const LAMBDAS = [0.03, 0.1, 0.3, 1, 3, 10, 30];
const BOOTSTRAP = 300;

/** A fitted course-level completion model (ridge regression on the empirical logit of completion rate). */
export interface CompletionModel {
  status: 'ok' | 'needs_more_courses';
  minCourses: number;
  courses: number;
  /** Features used (those that vary across the courses). */
  features: DesignFeature[];
  means: number[];
  sds: number[];
  intercept: number;
  /** Log-odds change per standard deviation of each feature. */
  coefficients: number[];
  lambda: number;
  /** Leave-one-course-out mean absolute error of the completion rate, percentage points. */
  looMaePp: number;
  /** Bootstrap refits (courses resampled): intercepts and coefficients, for intervals. */
  bootIntercepts: number[];
  bootCoefficients: number[][];
  /** Features that did not vary across courses (no association can be estimated). */
  constantFeatures: DesignFeature[];
}

/** One feature's importance: the change in completion rate for one standard deviation more, at the average course. */
export interface FeatureImportance {
  feature: DesignFeature;
  label: string;
  /** Percentage points of completion per standard deviation (the sd is given in the feature's unit). */
  effectPp: number;
  intervalPp: [number, number];
  sd: number;
  /** Whether the 90% bootstrap interval excludes zero. */
  clear: boolean;
}

const logistic = (x: number) => 1 / (1 + Math.exp(-x));
const round = (x: number, d = 4) => Math.round(x * 10 ** d) / 10 ** d;

/**
 * Fits completion rate across courses from design features: a ridge regression of the empirical
 * logit log((c + 0.5) / (n - c + 0.5)) on standardized features, one observation per course (so a
 * huge course does not drown the others), the penalty chosen by leave-one-course-out error, and
 * 300 bootstrap refits over courses for intervals. Fewer than `MIN_COURSES` courses:
 * `needs_more_courses`. Deterministic for the same rows.
 */
export function fitCompletionModel(rows: readonly CourseCompletionRow[], options: { seed?: number; minCourses?: number } = {}): CompletionModel {
  const minCourses = options.minCourses ?? MIN_COURSES;
  const usable = rows.filter((r) => r.learners > 0);
  const empty: CompletionModel = { status: 'needs_more_courses', minCourses, courses: usable.length, features: [], means: [], sds: [], intercept: 0, coefficients: [], lambda: 0, looMaePp: 0, bootIntercepts: [], bootCoefficients: [], constantFeatures: [] };
  if (usable.length < minCourses) return empty;
  const all = DESIGN_FEATURES.map((f) => usable.map((r) => r.features[f]));
  const stats = all.map((col) => {
    const mean = col.reduce((a, b) => a + b, 0) / col.length;
    const sd = Math.sqrt(col.reduce((a, b) => a + (b - mean) ** 2, 0) / col.length);
    return { mean, sd };
  });
  const keep = DESIGN_FEATURES.map((_, i) => i).filter((i) => stats[i].sd > 1e-9);
  const features = keep.map((i) => DESIGN_FEATURES[i]);
  const means = keep.map((i) => stats[i].mean);
  const sds = keep.map((i) => stats[i].sd);
  const z = usable.map((r) => features.map((f, j) => (r.features[f] - means[j]) / sds[j]));
  const y = usable.map((r) => Math.log((r.completed + 0.5) / (r.learners - r.completed + 0.5)));

  let best = { lambda: LAMBDAS[0], mse: Infinity };
  for (const lambda of LAMBDAS) {
    const mse = looError(z, y, lambda).mse;
    if (mse < best.mse) best = { lambda, mse };
  }
  const fit = ridge(z, y, best.lambda);
  const loo = looError(z, y, best.lambda);
  const looMaePp = round((100 * usable.reduce((s, r, i) => s + Math.abs(logistic(loo.predictions[i]) - r.completed / r.learners), 0)) / usable.length, 2);

  const random = new SeededRandom(options.seed ?? 11);
  const bootIntercepts: number[] = [];
  const bootCoefficients: number[][] = [];
  for (let b = 0; b < BOOTSTRAP; b++) {
    const idx = usable.map(() => random.int(usable.length));
    const bf = ridge(idx.map((i) => z[i]), idx.map((i) => y[i]), best.lambda);
    bootIntercepts.push(round(bf.intercept, 5));
    bootCoefficients.push(bf.coefficients.map((c) => round(c, 5)));
  }
  return {
    status: 'ok',
    minCourses,
    courses: usable.length,
    features,
    means: means.map((m) => round(m, 6)),
    sds: sds.map((s) => round(s, 6)),
    intercept: round(fit.intercept, 6),
    coefficients: fit.coefficients.map((c) => round(c, 6)),
    lambda: best.lambda,
    looMaePp,
    bootIntercepts,
    bootCoefficients,
    constantFeatures: DESIGN_FEATURES.filter((_, i) => !keep.includes(i)),
  };
}

/** Ridge with an unpenalized intercept on centred data: b = (Z'Z + lambda I)^-1 Z'(y - mean y). */
function ridge(z: number[][], y: number[], lambda: number): { intercept: number; coefficients: number[] } {
  const p = z[0]?.length ?? 0;
  const n = y.length;
  const colMeans = Array.from({ length: p }, (_, j) => z.reduce((s, row) => s + row[j], 0) / n);
  const yMean = y.reduce((a, b) => a + b, 0) / n;
  const a = Array.from({ length: p }, (_, i) => Array.from({ length: p }, (_, j) => z.reduce((s, row) => s + (row[i] - colMeans[i]) * (row[j] - colMeans[j]), 0) + (i === j ? lambda : 0)));
  const rhs = Array.from({ length: p }, (_, j) => z.reduce((s, row, k) => s + (row[j] - colMeans[j]) * (y[k] - yMean), 0));
  const coefficients = p > 0 ? solveSpd(a, rhs) : [];
  const intercept = yMean - coefficients.reduce((s, c, j) => s + c * colMeans[j], 0);
  return { intercept, coefficients };
}

/** Exact leave-one-out predictions of ridge via the hat matrix: y_i - e_i / (1 - h_ii). */
function looError(z: number[][], y: number[], lambda: number): { mse: number; predictions: number[] } {
  const n = y.length;
  const p = z[0]?.length ?? 0;
  const fit = ridge(z, y, lambda);
  const colMeans = Array.from({ length: p }, (_, j) => z.reduce((s, row) => s + row[j], 0) / n);
  const centred = z.map((row) => row.map((v, j) => v - colMeans[j]));
  const a = Array.from({ length: p }, (_, i) => Array.from({ length: p }, (_, j) => centred.reduce((s, row) => s + row[i] * row[j], 0) + (i === j ? lambda : 0)));
  const inv = p > 0 ? invertSpd(a) : [];
  let sse = 0;
  const predictions: number[] = [];
  for (let i = 0; i < n; i++) {
    let h = 1 / n;
    for (let r = 0; r < p; r++) for (let c = 0; c < p; c++) h += centred[i][r] * inv[r][c] * centred[i][c];
    const fitted = fit.intercept + fit.coefficients.reduce((s, b, j) => s + b * z[i][j], 0);
    const residual = (y[i] - fitted) / Math.max(1e-6, 1 - h);
    predictions.push(y[i] - residual);
    sse += residual * residual;
  }
  return { mse: sse / n, predictions };
}

/** Predicted completion rate (0..1) of a design under the model (or one bootstrap refit). */
export function predictCompletion(model: CompletionModel, design: DesignVector, boot?: number): number {
  const intercept = boot === undefined ? model.intercept : model.bootIntercepts[boot];
  const coefficients = boot === undefined ? model.coefficients : model.bootCoefficients[boot];
  let eta = intercept;
  model.features.forEach((f, j) => (eta += coefficients[j] * ((design[f] - model.means[j]) / model.sds[j])));
  return logistic(eta);
}

/** A what-if: predicted completion of the current and the changed design, and the change with its 90% interval. */
export interface WhatIf {
  baseline: number;
  predicted: number;
  changePp: number;
  intervalPp: [number, number];
}

/** Estimates how completion moves when `base` becomes `changed` (association across courses, not a promise). */
export function whatIf(model: CompletionModel, base: DesignVector, changed: DesignVector): WhatIf {
  if (model.status !== 'ok') throw new Error(`the course model needs at least ${model.minCourses} courses with known completion`);
  const baseline = predictCompletion(model, base);
  const predicted = predictCompletion(model, changed);
  const changes = model.bootIntercepts.map((_, b) => 100 * (predictCompletion(model, changed, b) - predictCompletion(model, base, b))).sort((a, b) => a - b);
  return { baseline: round(baseline), predicted: round(predicted), changePp: round(100 * (predicted - baseline), 2), intervalPp: [round(quantileSorted(changes, 0.05), 2), round(quantileSorted(changes, 0.95), 2)] };
}

/** Feature importance at the average course, largest effect first. */
export function featureImportance(model: CompletionModel): FeatureImportance[] {
  if (model.status !== 'ok') return [];
  const average = Object.fromEntries(model.features.map((f, j) => [f, model.means[j]])) as DesignVector;
  return model.features
    .map((feature, j) => {
      const plus = { ...average, [feature]: model.means[j] + model.sds[j] };
      const w = whatIf(model, average, plus);
      return { feature, label: FEATURE_INFO[feature].label, effectPp: w.changePp, intervalPp: w.intervalPp, sd: round(model.sds[j], 3), clear: w.intervalPp[0] > 0 || w.intervalPp[1] < 0 };
    })
    .sort((a, b) => Math.abs(b.effectPp) - Math.abs(a.effectPp));
}

/**
 * The single-feature design changes with the largest predicted gain for this course: each feature
 * moved one realistic step (shares by 0.2, assessments by 0.5 per unit, length by 2 weeks,
 * deadlines to weekly, the certificate switched) in whichever direction helps, within slider ranges.
 */
export function largestGains(model: CompletionModel, base: DesignVector): Array<{ feature: DesignFeature; label: string; from: number; to: number } & WhatIf> {
  if (model.status !== 'ok') return [];
  const steps: Record<DesignFeature, number> = { videoShare: 0.2, gradedShare: 0.2, assessmentsPerUnit: 0.5, interactiveShare: 0.2, weeks: 2, deadlinesPerWeek: 0.5, certificateOffered: 1 };
  const out = [];
  for (const feature of model.features) {
    const info = FEATURE_INFO[feature];
    const candidates = feature === 'certificateOffered' ? [1 - base[feature]] : [base[feature] + steps[feature], base[feature] - steps[feature]];
    let best: ({ feature: DesignFeature; label: string; from: number; to: number } & WhatIf) | undefined;
    for (const raw of candidates) {
      const to = round(Math.min(info.max, Math.max(info.min, raw)), 3);
      if (to === base[feature]) continue;
      const w = whatIf(model, base, { ...base, [feature]: to });
      if (!best || w.changePp > best.changePp) best = { feature, label: info.label, from: base[feature], to, ...w };
    }
    if (best && best.changePp > 0) out.push(best);
  }
  return out.sort((a, b) => b.changePp - a.changePp);
}
