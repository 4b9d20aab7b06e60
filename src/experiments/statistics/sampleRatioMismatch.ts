import { chiSquareSurvival } from './distributions';

/** p-value below which a sample-ratio mismatch is reported (the usual threshold for SRM checks). */
export const SRM_THRESHOLD = 0.001;

export interface SrmResult {
  chiSquare: number;
  df: number;
  pValue: number;
  /** True when pValue < threshold: assignment counts are off from the intended weights. */
  mismatch: boolean;
  expected: number[];
}

/**
 * Sample-ratio-mismatch check: Pearson's chi-square goodness of fit of observed group counts against
 * the shares the design intended (weights, normalised). Groups with zero weight are left out.
 */
export function sampleRatioMismatch(observed: number[], weights: number[], threshold = SRM_THRESHOLD): SrmResult {
  if (observed.length !== weights.length) throw new RangeError('observed counts and weights differ in length');
  const keep = weights.map((w, i) => (w > 0 ? i : -1)).filter((i) => i >= 0);
  const total = keep.reduce((s, i) => s + observed[i], 0);
  const weightSum = keep.reduce((s, i) => s + weights[i], 0);
  const expected = observed.map((_, i) => (weights[i] > 0 && weightSum > 0 ? (total * weights[i]) / weightSum : 0));
  if (keep.length < 2 || total === 0) return { chiSquare: 0, df: Math.max(0, keep.length - 1), pValue: 1, mismatch: false, expected };
  const chiSquare = keep.reduce((s, i) => s + (observed[i] - expected[i]) ** 2 / expected[i], 0);
  const df = keep.length - 1;
  const pValue = chiSquareSurvival(chiSquare, df);
  return { chiSquare, df, pValue, mismatch: pValue < threshold, expected };
}
