import { adjustComparisonFamily } from '../../src/experiments/comparisonFamily';
import { holmAdjust } from '../../src/experiments/statistics/holmBonferroni';
import { summarize } from '../../src/experiments/statistics/sampleSummary';
import { welchTest, WelchResult } from '../../src/experiments/statistics/welchTest';
import { seeded } from './random';

type Random = ReturnType<typeof seeded>;
// Bound once: global lookups are slow inside jest's vm sandbox, and a null simulation draws 6 million values.
const { floor, min, max } = Math;

/** The five outcomes of one learner group, shaped like real ones (zero-inflated, skewed, bounded, binary). */
function outcomes(random: Random, n: number, videoLift = 1): number[][] {
  const draw = (f: () => number) => Array.from({ length: n }, f);
  return [
    draw(() => (random.uniform() < 0.3 ? 0 : random.lognormal(3.5, 1) * videoLift)),
    draw(() => floor(random.lognormal(1, 0.8))),
    draw(() => min(1, max(0, 0.6 + 0.2 * random.normal()))),
    draw(() => floor(random.uniform() * 29)),
    draw(() => (random.uniform() < 0.4 ? 1 : 0)),
  ];
}

/** One generated experiment: control plus three arms (the third with `lift` on video time), rows per outcome as the analysis builds them. */
function experiment(random: Random, n: number, lift = 1) {
  const control = outcomes(random, n).map(summarize);
  const arms = [outcomes(random, n), outcomes(random, n), outcomes(random, n, lift)].map((o) => o.map(summarize));
  return control.map((c, metric) => [{ arm: 'control', vsControl: null as WelchResult | null }, ...arms.map((a, i) => ({ arm: `arm${i}`, vsControl: welchTest(a[metric], c) }))]);
}

describe('Holm–Bonferroni adjustment', () => {
  it('matches hand-computed values (R p.adjust(p, "holm"))', () => {
    // Sorted 0.005, 0.01, 0.03, 0.04 → 4·0.005 = 0.02, 3·0.01 = 0.03, 2·0.03 = 0.06, max(0.06, 1·0.04) = 0.06.
    expect(holmAdjust([0.01, 0.04, 0.03, 0.005]).map((p) => Number(p.toFixed(12)))).toEqual([0.03, 0.06, 0.06, 0.02]);
    // Capped at 1, and never below an earlier (smaller) adjusted value: 3·0.2 = 0.6, 2·0.5 = 1, max(1, 0.9) = 1.
    expect(holmAdjust([0.5, 0.2, 0.9])).toEqual([1, 0.6000000000000001, 1]);
    // Ties: 3·0.02 = 0.06, max(0.06, 2·0.02) = 0.06, 0.5.
    expect(holmAdjust([0.02, 0.02, 0.5]).map((p) => Number(p.toFixed(12)))).toEqual([0.06, 0.06, 0.5]);
    expect(holmAdjust([0.003])).toEqual([0.003]);
    expect(holmAdjust([])).toEqual([]);
    expect(() => holmAdjust([0.2, Number.NaN])).toThrow('A p-value must be within [0, 1], got NaN.');
  });

  it('adjusts over every tested arm × outcome, skips the control and untestable comparisons, and marks significance on the adjusted value', () => {
    const welch = (pValue: number) => ({ pValue }) as WelchResult;
    const rows = [
      [{ arm: 'control', vsControl: null }, { arm: 'a', vsControl: welch(0.004) }, { arm: 'b', vsControl: welch(0.03) }],
      [{ arm: 'control', vsControl: null }, { arm: 'a', vsControl: welch(0.012) }, { arm: 'b', vsControl: null }],
    ];
    const { rows: adjusted, family } = adjustComparisonFamily(rows);
    expect(family).toEqual({ method: 'holm-bonferroni', alpha: 0.05, size: 3 });
    // Sorted 0.004, 0.012, 0.03 → 3·0.004 = 0.012, 2·0.012 = 0.024, 1·0.03 = 0.03.
    expect(adjusted.map((r) => r.map((c) => (c.adjustedPValue == null ? null : Number(c.adjustedPValue.toFixed(12)))))).toEqual([
      [null, 0.012, 0.03],
      [null, 0.024, null],
    ]);
    expect(adjusted.map((r) => r.map((c) => c.significant))).toEqual([
      [false, true, true],
      [false, true, false],
    ]);
    // A raw p under 0.05 is not enough once the family is larger: 0.03 · 2 (two tests) = 0.06.
    const two = adjustComparisonFamily([[{ vsControl: welch(0.03) }, { vsControl: welch(0.04) }]]);
    expect(two.rows[0].map((c) => c.significant)).toEqual([false, false]);
    expect(two.rows[0][0].adjustedPValue).toBeCloseTo(0.06, 12);
  });

  it('with no effect anywhere, marks any of the 15 comparisons significant in at most ~5% of 1,000 experiments (raw p: far more)', () => {
    const random = seeded(4242);
    let anyAdjusted = 0;
    let anyRaw = 0;
    for (let run = 0; run < 1000; run++) {
      const { rows, family } = adjustComparisonFamily(experiment(random, 300));
      expect(family.size).toBe(15);
      if (rows.flat().some((c) => c.significant)) anyAdjusted++;
      if (rows.flat().some((c) => c.vsControl && c.vsControl.pValue < 0.05)) anyRaw++;
    }
    expect(anyAdjusted / 1000).toBeLessThanOrEqual(0.06);
    expect(anyAdjusted / 1000).toBeGreaterThanOrEqual(0.02);
    // Fifteen tests at 0.05 each (sharing one control): roughly 1 − 0.95^15 ≈ 54% of null experiments would show a "significant" result.
    expect(anyRaw / 1000).toBeGreaterThan(0.35);
  });

  it('still finds a planted 25% lift in video time in one arm after the correction, and nothing else', () => {
    const { rows } = adjustComparisonFamily(experiment(seeded(7), 2000, 1.25));
    const significant = rows.flatMap((r, metric) => r.filter((c) => c.significant).map((c) => `${metric}:${c.arm}`));
    expect(significant).toEqual(['0:arm2']);
    expect(rows[0][3].adjustedPValue!).toBeLessThan(0.01);
  });
});
