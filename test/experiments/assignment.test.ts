import { Types } from 'mongoose';
import { armAt, assignmentUnit, dealArms, dropoutStratum, hashedArm, HOLDOUT_ARM } from '../../src/experiments/assignment';
import { sampleRatioMismatch } from '../../src/experiments/statistics/sampleRatioMismatch';

const ARMS = [
  { key: 'certificate', weight: 1 },
  { key: 'certificate-video', weight: 1 },
  { key: 'effort', weight: 1 },
  { key: 'control', weight: 1 },
];
const ids = Array.from({ length: 100_000 }, (_, i) => new Types.ObjectId(`65f00000${i.toString(16).padStart(16, '0')}`).toHexString());

describe('deterministic assignment', () => {
  it('gives the same learner the same arm every time (any process, any device)', () => {
    const first = ids.slice(0, 1000).map((id) => hashedArm('salt-A', id, ARMS, 0.1));
    const again = ids.slice(0, 1000).map((id) => hashedArm('salt-A', id, ARMS, 0.1));
    expect(again).toEqual(first);
    expect(assignmentUnit('salt-A', '65f000000000000000000001')).toBe(assignmentUnit('salt-A', '65f000000000000000000001'));
    // A known value pins the hash so a change of algorithm (which would move every learner) fails loudly.
    expect(assignmentUnit('exp', 'learner')).toBeCloseTo(parseInt('011f82ab26880', 16) / 2 ** 52, 15);
  });

  it('splits 100,000 learners by the weights and holdout (chi-square goodness of fit passes, shares within 0.5 points)', () => {
    const counts = new Map<string, number>();
    for (const id of ids) {
      const arm = hashedArm('salt-B', id, ARMS, 0.1);
      counts.set(arm, (counts.get(arm) ?? 0) + 1);
    }
    const keys = [...ARMS.map((a) => a.key), HOLDOUT_ARM];
    const observed = keys.map((k) => counts.get(k) ?? 0);
    const shares = [0.225, 0.225, 0.225, 0.225, 0.1];
    const srm = sampleRatioMismatch(observed, shares);
    expect(srm.mismatch).toBe(false);
    expect(srm.pValue).toBeGreaterThan(0.001);
    observed.forEach((n, i) => expect(Math.abs(n / ids.length - shares[i])).toBeLessThan(0.005));
  });

  it('honours unequal weights (3:1) on 100,000 learners', () => {
    const arms = [{ key: 'effort', weight: 3 }, { key: 'control', weight: 1 }];
    const effort = ids.filter((id) => hashedArm('salt-C', id, arms, 0) === 'effort').length;
    expect(sampleRatioMismatch([effort, ids.length - effort], [3, 1]).mismatch).toBe(false);
    expect(Math.abs(effort / ids.length - 0.75)).toBeLessThan(0.005);
  });

  it('assigns independently across experiments (another salt reshuffles learners)', () => {
    const same = ids.slice(0, 20_000).filter((id) => hashedArm('one', id, ARMS, 0) === hashedArm('two', id, ARMS, 0)).length;
    expect(Math.abs(same / 20_000 - 0.25)).toBeLessThan(0.015);
  });

  it('cuts the unit interval by weights', () => {
    expect(armAt(ARMS, 0)).toBe('certificate');
    expect(armAt(ARMS, 0.2499)).toBe('certificate');
    expect(armAt(ARMS, 0.25)).toBe('certificate-video');
    expect(armAt(ARMS, 0.9999)).toBe('control');
    expect(() => armAt([{ key: 'x', weight: 0 }], 0.5)).toThrow('arms need a positive total weight');
  });
});

describe('stratified dealing', () => {
  it('keeps every prefix of a stratum balanced within one learner per arm, continuing across runs', () => {
    const all = dealArms(ARMS, 0, 103);
    for (let n = 1; n <= all.length; n++) {
      const counts = ARMS.map((a) => all.slice(0, n).filter((k) => k === a.key).length);
      expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
    }
    expect([...dealArms(ARMS, 0, 50), ...dealArms(ARMS, 50, 53)]).toEqual(all);
  });

  it('deals 2:1:1 weights in proportion', () => {
    const dealt = dealArms([{ key: 'a', weight: 2 }, { key: 'b', weight: 1 }, { key: 'c', weight: 1 }], 0, 400);
    expect(dealt.filter((k) => k === 'a').length).toBe(200);
    expect(dealt.filter((k) => k === 'b').length).toBe(100);
  });

  it('puts predicted dropout into strata', () => {
    expect([0.1, 0.4, 0.9, null].map(dropoutStratum)).toEqual(['low', 'medium', 'high', 'unscored']);
  });
});
