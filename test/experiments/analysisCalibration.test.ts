import { summarize } from '../../src/experiments/statistics/sampleSummary';
import { welchTest } from '../../src/experiments/statistics/welchTest';
import { seeded } from './random';

/** Skewed, zero-inflated "video minutes" like real learners: 30% watch nothing, the rest lognormal. */
function videoMinutes(random: ReturnType<typeof seeded>, n: number, lift = 1): number[] {
  return Array.from({ length: n }, () => (random.uniform() < 0.3 ? 0 : random.lognormal(3.5, 1) * lift));
}

describe('Welch analysis on generated data', () => {
  it('detects a planted 25% lift in video time (p < 0.001, CI covers the true difference, excludes 0)', () => {
    const random = seeded(7);
    const control = summarize(videoMinutes(random, 2000));
    const treated = summarize(videoMinutes(random, 2000, 1.25));
    const r = welchTest(treated, control)!;
    // True means: 0.7 * exp(3.5 + 0.5) = 38.22 control; 25% more treated → true difference 9.555.
    const trueDifference = 0.7 * Math.exp(4) * 0.25;
    expect(r.pValue).toBeLessThan(0.001);
    expect(r.ciLow).toBeGreaterThan(0);
    expect(r.ciLow).toBeLessThan(trueDifference);
    expect(r.ciHigh).toBeGreaterThan(trueDifference);
  });

  it('with no effect, reports p < 0.05 in about 5% of 1,000 experiments, and its 95% CI covers 0 about 95% of the time', () => {
    const random = seeded(2024);
    let significant = 0;
    let covered = 0;
    for (let run = 0; run < 1000; run++) {
      const r = welchTest(summarize(videoMinutes(random, 300)), summarize(videoMinutes(random, 250)))!;
      if (r.pValue < 0.05) significant++;
      if (r.ciLow <= 0 && r.ciHigh >= 0) covered++;
      // The CI and the test agree: p < 0.05 exactly when the CI excludes 0.
      expect(r.pValue < 0.05).toBe(!(r.ciLow <= 0 && r.ciHigh >= 0));
    }
    expect(significant / 1000).toBeGreaterThanOrEqual(0.035);
    expect(significant / 1000).toBeLessThanOrEqual(0.065);
    expect(covered).toBe(1000 - significant);
  });

  it('keeps its error rate with unequal variances and group sizes, where a pooled test would not', () => {
    const random = seeded(99);
    let significant = 0;
    for (let run = 0; run < 1000; run++) {
      const small = Array.from({ length: 40 }, () => 10 + 6 * random.normal());
      const large = Array.from({ length: 400 }, () => 10 + 1 * random.normal());
      if (welchTest(summarize(small), summarize(large))!.pValue < 0.05) significant++;
    }
    expect(significant / 1000).toBeGreaterThanOrEqual(0.035);
    expect(significant / 1000).toBeLessThanOrEqual(0.065);
  });
});
