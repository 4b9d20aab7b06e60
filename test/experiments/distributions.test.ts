import { chiSquareSurvival, logGamma, regularizedIncompleteBeta, studentTCdf, studentTQuantile, studentTTwoSided } from '../../src/experiments/statistics/distributions';
import { sampleRatioMismatch } from '../../src/experiments/statistics/sampleRatioMismatch';
import { summarize } from '../../src/experiments/statistics/sampleSummary';
import { welchTest } from '../../src/experiments/statistics/welchTest';

describe('distribution functions (reference values from R)', () => {
  it('log-gamma matches factorials and Γ(1/2) = √π', () => {
    expect(logGamma(5)).toBeCloseTo(Math.log(24), 12);
    expect(logGamma(0.5)).toBeCloseTo(Math.log(Math.sqrt(Math.PI)), 12);
    expect(logGamma(100)).toBeCloseTo(359.1342053695754, 9);
  });

  it('regularized incomplete beta: I_0.5(2,3) = 0.6875, I_x(1,1) = x', () => {
    expect(regularizedIncompleteBeta(0.5, 2, 3)).toBeCloseTo(0.6875, 12);
    expect(regularizedIncompleteBeta(0.3, 1, 1)).toBeCloseTo(0.3, 12);
  });

  it('Student t: pt and qt', () => {
    expect(studentTTwoSided(2, 10)).toBeCloseTo(0.07338803, 7); // 2*pt(-2,10)
    expect(studentTCdf(-1.5, 1)).toBeCloseTo(0.5 + Math.atan(-1.5) / Math.PI, 12); // Cauchy
    expect(studentTCdf(0.8, 2)).toBeCloseTo(0.5 + 0.8 / (2 * Math.sqrt(2 + 0.64)), 12); // closed form for df = 2
    expect(studentTQuantile(0.975, 10)).toBeCloseTo(2.228139, 5);
    expect(studentTQuantile(0.975, 1e6)).toBeCloseTo(1.959966, 4);
    expect(studentTQuantile(0.025, 5)).toBeCloseTo(-2.570582, 5);
  });

  it('chi-square upper tail: pchisq(3.841459, 1, lower=FALSE) = 0.05; pchisq(7.814728, 3, lower=FALSE) = 0.05', () => {
    expect(chiSquareSurvival(3.841459, 1)).toBeCloseTo(0.05, 6);
    expect(chiSquareSurvival(7.814728, 3)).toBeCloseTo(0.05, 6);
    expect(chiSquareSurvival(0.5, 4)).toBeCloseTo(0.9735010, 6);
  });
});

describe('Welch t-test', () => {
  it("matches R's t.test(x, y) on a small sample", () => {
    // x <- c(19.1, 21.3, 20.2, 23.5, 22.0, 18.7); y <- c(17.9, 18.8, 20.1, 16.5, 19.0, 18.2, 17.4)
    const x = summarize([19.1, 21.3, 20.2, 23.5, 22.0, 18.7]);
    const y = summarize([17.9, 18.8, 20.1, 16.5, 19.0, 18.2, 17.4]);
    const r = welchTest(x, y)!;
    expect(r.difference).toBeCloseTo(20.8 - 18.2714286, 6);
    const se = Math.sqrt(x.variance / 6 + y.variance / 7);
    expect(r.standardError).toBeCloseTo(se, 10);
    const df = (x.variance / 6 + y.variance / 7) ** 2 / ((x.variance / 6) ** 2 / 5 + (y.variance / 7) ** 2 / 6);
    expect(r.df).toBeCloseTo(df, 10);
    expect(r.t).toBeCloseTo(r.difference / se, 10);
    expect(r.pValue).toBeCloseTo(studentTTwoSided(r.t, df), 12);
    const half = studentTQuantile(0.975, df) * se;
    expect(r.ciLow).toBeCloseTo(r.difference - half, 10);
    expect(r.ciHigh).toBeCloseTo(r.difference + half, 10);
    expect(r.pValue).toBeLessThan(0.05);
  });

  it('returns null when a group is too small or has no variance', () => {
    expect(welchTest(summarize([1]), summarize([1, 2, 3]))).toBeNull();
    expect(welchTest(summarize([2, 2]), summarize([2, 2, 2]))).toBeNull();
  });
});

describe('sample-ratio mismatch', () => {
  it('flags 600/400 on a 50/50 design (p = 2.54e-10)', () => {
    const r = sampleRatioMismatch([600, 400], [1, 1]);
    expect(r.chiSquare).toBeCloseTo(40, 10);
    expect(r.pValue).toBeCloseTo(2.539629e-10, 14);
    expect(r.mismatch).toBe(true);
  });

  it('accepts counts close to unequal weights and ignores zero-weight groups', () => {
    const r = sampleRatioMismatch([2510, 2490, 4995, 7], [1, 1, 2, 0]);
    expect(r.df).toBe(2);
    expect(r.expected).toEqual([2498.75, 2498.75, 4997.5, 0]);
    expect(r.mismatch).toBe(false);
  });
});
