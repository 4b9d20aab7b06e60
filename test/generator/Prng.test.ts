import { Prng } from '../../src/generator/Prng';

describe('Prng', () => {
  it('repeats the same sequence for the same seed and labels', () => {
    const a = new Prng(42, 'learner', 3);
    const b = new Prng(42, 'learner', 3);
    const seqA = Array.from({ length: 5 }, () => a.nextUint32());
    expect(Array.from({ length: 5 }, () => b.nextUint32())).toEqual(seqA);
    const c = new Prng(42, 'learner', 4);
    expect(Array.from({ length: 5 }, () => c.nextUint32())).not.toEqual(seqA);
  });

  it('has the expected means for uniform, normal, poisson, gamma and exponential draws', () => {
    const r = new Prng('moments');
    const n = 40_000;
    const mean = (f: () => number) => {
      let s = 0;
      for (let i = 0; i < n; i++) s += f();
      return s / n;
    };
    expect(mean(() => r.next())).toBeCloseTo(0.5, 1);
    expect(mean(() => r.normal(3, 2))).toBeCloseTo(3, 1);
    expect(mean(() => r.poisson(4))).toBeCloseTo(4, 1);
    expect(mean(() => r.poisson(50))).toBeGreaterThan(49.5);
    expect(mean(() => r.gamma(2, 3))).toBeCloseTo(6, 0);
    expect(mean(() => r.gamma(0.5, 2))).toBeCloseTo(1, 1);
    expect(mean(() => r.exponential(7))).toBeCloseTo(7, 0);
    expect(mean(() => r.beta(2, 6))).toBeCloseTo(0.25, 1);
  });

  it('draws weighted indices in proportion and formats UUIDs', () => {
    const r = new Prng(1);
    const counts = [0, 0, 0];
    for (let i = 0; i < 30_000; i++) counts[r.weighted([1, 2, 7])]++;
    expect(counts[2] / 30_000).toBeCloseTo(0.7, 1);
    expect(counts[0] / 30_000).toBeCloseTo(0.1, 1);
    expect(r.uuid()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(r.hex(32)).toMatch(/^[0-9a-f]{32}$/);
  });
});
