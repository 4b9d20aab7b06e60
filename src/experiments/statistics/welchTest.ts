import type { SampleSummary } from './sampleSummary';
import { studentTQuantile, studentTTwoSided } from './distributions';

/** Difference of a treatment mean from a control mean, with Welch's unequal-variance t-test. */
export interface WelchResult {
  /** treatment.mean - control.mean */
  difference: number;
  /** Standard error of the difference: sqrt(s1²/n1 + s2²/n2). */
  standardError: number;
  /** Welch–Satterthwaite degrees of freedom. */
  df: number;
  t: number;
  /** Two-sided p-value. */
  pValue: number;
  /** Confidence interval of the difference at `level`. */
  ciLow: number;
  ciHigh: number;
  level: number;
}

/**
 * Welch's t-test of treatment against control, two-sided, with the confidence interval
 * difference ± t(1 - α/2, df) · SE. Returns null when either group has fewer than 2 values or both
 * variances are zero (no test is possible).
 */
export function welchTest(treatment: SampleSummary, control: SampleSummary, level = 0.95): WelchResult | null {
  if (treatment.n < 2 || control.n < 2) return null;
  const v1 = treatment.variance / treatment.n;
  const v2 = control.variance / control.n;
  const se2 = v1 + v2;
  if (!(se2 > 0)) return null;
  const standardError = Math.sqrt(se2);
  const df = (se2 * se2) / ((v1 * v1) / (treatment.n - 1) + (v2 * v2) / (control.n - 1));
  const difference = treatment.mean - control.mean;
  const t = difference / standardError;
  const half = studentTQuantile(1 - (1 - level) / 2, df) * standardError;
  return { difference, standardError, df, t, pValue: studentTTwoSided(t, df), ciLow: difference - half, ciHigh: difference + half, level };
}
