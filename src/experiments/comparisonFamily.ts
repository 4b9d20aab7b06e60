import { holmAdjust } from './statistics/holmBonferroni';
import type { WelchResult } from './statistics/welchTest';

/** Family-wise error rate the results page allows for its "significant" marks. */
export const FAMILY_ALPHA = 0.05;

/** How the results page corrects for testing many comparisons at once. */
export interface ComparisonFamily {
  method: 'holm-bonferroni';
  alpha: number;
  /** Number of tests in the family (every arm-vs-control Welch test that could be computed, over all outcomes). */
  size: number;
}

/** A comparison with control before and after the correction; `adjustedPValue` is null exactly when `vsControl` is. */
export interface AdjustedComparison {
  vsControl: WelchResult | null;
  adjustedPValue: number | null;
  /** adjustedPValue < alpha. */
  significant: boolean;
}

/**
 * Holm–Bonferroni adjustment over an experiment's family of comparisons: every treatment arm against control on
 * every outcome (arms × outcomes, e.g. 3 × 5 = 15 for the default design). The holdout and the control itself are
 * not compared, and a comparison without a test (fewer than 2 values in a group, or no variance) is not in the family.
 * `rows` is the family as outcome × group, in any shape; the result has the same shape.
 */
export function adjustComparisonFamily<T extends { vsControl: WelchResult | null }>(rows: T[][], alpha = FAMILY_ALPHA): { rows: Array<Array<T & AdjustedComparison>>; family: ComparisonFamily } {
  const tested = rows.flat().filter((r) => r.vsControl);
  const holm = holmAdjust(tested.map((r) => r.vsControl!.pValue));
  const adjusted = new Map(tested.map((r, i) => [r, holm[i]]));
  return {
    rows: rows.map((group) =>
      group.map((r) => {
        const p = adjusted.get(r) ?? null;
        return { ...r, adjustedPValue: p, significant: p != null && p < alpha };
      }),
    ),
    family: { method: 'holm-bonferroni', alpha, size: tested.length },
  };
}
