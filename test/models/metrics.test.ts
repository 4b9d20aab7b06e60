import { fitIsotonic, fitPlatt, calibrate } from '../../src/models/calibration';
import { auc, brier, ece, f1, reliability } from '../../src/models/metrics';

const probs = [0.1, 0.4, 0.35, 0.8];
const labels = [0, 0, 1, 1];

describe('metrics', () => {
  it('AUC counts pairs, ties half', () => {
    expect(auc(probs, labels)).toBe(0.75);
    expect(auc([0.5, 0.5], [0, 1])).toBe(0.5);
    expect(auc([0.2, 0.3], [1, 1])).toBeNaN();
  });

  it('Brier is the mean squared error', () => {
    expect(brier(probs, labels)).toBeCloseTo(0.158125, 12);
  });

  it('ECE weights each equal-width bin gap by its share', () => {
    expect(ece(probs, labels)).toBeCloseTo(1.35 / 4, 12);
    expect(ece(probs, labels, 2)).toBeCloseTo(0.75 * Math.abs(1 / 3 - 0.85 / 3) + 0.25 * 0.2, 12);
    expect(reliability([1], [1], 10)[9]).toEqual({ lower: 0.9, upper: 1, count: 1, meanPredicted: 1, observedRate: 1 });
  });

  it('F1 at 0.5', () => {
    expect(f1(probs, labels)).toBeCloseTo(2 / 3, 12);
  });
});

describe('calibration', () => {
  it('isotonic pools adjacent violators', () => {
    expect(fitIsotonic([0.1, 0.2, 0.3, 0.4], [0, 1, 0, 1])).toEqual({ kind: 'isotonic', x: [0.1, 0.25, 0.4], y: [0, 0.5, 1] });
    const fitted = fitIsotonic([0.1, 0.2, 0.3, 0.4], [0, 1, 0, 1]);
    expect(calibrate(fitted, 0.325)).toBeCloseTo(0.75, 12);
  });

  it('Platt scaling corrects over-confident scores', () => {
    // Raw scores say 0.9 where the observed rate is 0.6, and 0.1 where it is 0.4.
    const raw = [...Array(10).fill(0.9), ...Array(10).fill(0.1)];
    const y = [...Array(6).fill(1), ...Array(4).fill(0), ...Array(4).fill(1), ...Array(6).fill(0)];
    const platt = fitPlatt(raw, y);
    expect(platt.kind).toBe('platt');
    expect(calibrate(platt, 0.9)).toBeCloseTo(0.6, 1);
    expect(calibrate(platt, 0.1)).toBeCloseTo(0.4, 1);
  });
});
