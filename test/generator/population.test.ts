import path from 'node:path';
import { ARCHETYPES, ARCHETYPE_PROFILES, DESIGN_PRESETS, buildCoursePlan, designHazardMultiplier, generateCourse, iterateLearners } from '../../src/generator';
import type { LearnerTruth } from '../../src/generator';
import { readJsonLines, tempDir } from './helpers';

describe('generated learner population', () => {
  const dir = tempDir('population');
  const N = 1200;
  let truth: LearnerTruth[];

  beforeAll(async () => {
    await generateCourse({ platform: 'openedx', learners: N, weeks: 6, seed: 'population', design: 'balanced', xapi: false, out: dir });
    truth = readJsonLines<LearnerTruth>(path.join(dir, 'truth.jsonl'));
  }, 120_000);

  const rate = (rows: LearnerTruth[], key: 'dropout' | 'completion' | 'certificate') => rows.filter((r) => r[key]).length / rows.length;
  const byArchetype = (a: string) => truth.filter((t) => t.archetype === a);

  it('draws archetypes in the configured proportions', () => {
    for (const a of ARCHETYPES) expect(Math.abs(byArchetype(a).length / N - ARCHETYPE_PROFILES[a].share)).toBeLessThan(0.04);
  });

  it('has MOOC-like outcome rates, with dropout highest in the low-engagement archetypes', () => {
    expect(rate(truth, 'dropout')).toBeGreaterThan(0.55);
    expect(rate(truth, 'dropout')).toBeLessThan(0.9);
    expect(rate(truth, 'completion')).toBeGreaterThan(0.05);
    expect(rate(truth, 'completion')).toBeLessThan(0.4);
    expect(rate(byArchetype('sampler'), 'dropout')).toBeGreaterThan(0.9);
    expect(rate(byArchetype('fading'), 'dropout')).toBeGreaterThan(0.75);
    expect(rate(byArchetype('hard_worker'), 'dropout')).toBeLessThan(0.45);
    expect(rate(byArchetype('hard_worker'), 'completion')).toBeGreaterThan(rate(byArchetype('social'), 'completion'));
    expect(rate(byArchetype('social'), 'completion')).toBeGreaterThan(rate(byArchetype('fading'), 'completion'));
  });

  it('makes outcomes depend on behaviour without determining them', () => {
    for (const t of truth) {
      if (t.certificate) expect(t.passed && t.completion).toBe(true);
      if (t.dropout) expect(t.dropoutDay).not.toBeNull();
    }
    const mean = (rows: LearnerTruth[]) => rows.reduce((s, r) => s + r.activeDays, 0) / rows.length;
    expect(mean(truth.filter((t) => t.completion))).toBeGreaterThan(3 * mean(truth.filter((t) => !t.completion)));
    const hard = byArchetype('hard_worker');
    expect(hard.some((t) => t.dropout) && hard.some((t) => !t.dropout)).toBe(true);
    expect(hard.some((t) => t.completion) && hard.some((t) => !t.completion)).toBe(true);
    const engaged = truth.filter((t) => t.activeDays >= 10);
    expect(engaged.some((t) => !t.completion)).toBe(true);
  });

  it('lets early activity predict dropout and completion well, but far from perfectly', () => {
    const daily = readJsonLines<{ username: string; day: number }>(path.join(dir, 'truth_daily.jsonl.gz'));
    const start = Date.parse('2025-02-03T00:00:00Z') / 86_400_000;
    const activeDays = new Map<string, number>();
    for (const d of daily) if (d.day < start + 14) activeDays.set(d.username, (activeDays.get(d.username) ?? 0) + 1);
    const auc = (positive: (t: LearnerTruth) => boolean) => {
      const pos = truth.filter(positive).map((t) => activeDays.get(t.username) ?? 0);
      const neg = truth.filter((t) => !positive(t)).map((t) => activeDays.get(t.username) ?? 0);
      let wins = 0;
      for (const p of pos) for (const n of neg) wins += p > n ? 1 : p === n ? 0.5 : 0;
      return wins / (pos.length * neg.length);
    };
    const stays = auc((t) => !t.dropout);
    const completes = auc((t) => t.completion);
    expect(stays).toBeGreaterThan(0.65);
    expect(stays).toBeLessThan(0.95);
    expect(completes).toBeGreaterThan(0.7);
    expect(completes).toBeLessThan(0.97);
  });

  it('varies the course design by seed and plants a design effect on dropout hazard', () => {
    const presets = new Set(Array.from({ length: 20 }, (_, i) => buildCoursePlan({ platform: 'openedx', learners: 1, weeks: 8, seed: i, out: '-' }).course.design.preset));
    expect(presets.size).toBeGreaterThanOrEqual(4);
    const hazard = (preset: (typeof DESIGN_PRESETS)[number]) => designHazardMultiplier(buildCoursePlan({ platform: 'openedx', learners: 1, weeks: 8, seed: 3, design: preset, out: '-' }).course.design, 8);
    expect(hazard('interactive')).toBeLessThan(hazard('video-lecture'));
  });

  it('plants an experiment effect on treated learners only', () => {
    const plan = buildCoursePlan({ platform: 'openedx', learners: 600, weeks: 4, seed: 'effect', out: '-', effect: { video: 2, activity: 1.5, correct: 1.5, share: 0.5, salt: 'exp' } });
    const videoSeconds = { treated: [] as number[], control: [] as number[] };
    const answers = { treated: [0, 0], control: [0, 0] };
    for (const { sim } of iterateLearners(plan)) {
      const arm = sim.treated ? 'treated' : 'control';
      videoSeconds[arm].push(sim.events.reduce((s, e) => s + (e.kind === 'video' ? e.watchedSeconds : 0), 0));
      for (const e of sim.events) {
        if (e.kind === 'problem' && e.action === 'check') answers[arm][e.correct ? 0 : 1]++;
      }
    }
    const ratio = ([right, wrong]: number[]) => right / (right + wrong);
    expect(ratio(answers.treated)).toBeGreaterThan(ratio(answers.control) + 0.05);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(videoSeconds.treated.length / 600).toBeGreaterThan(0.4);
    expect(videoSeconds.treated.length / 600).toBeLessThan(0.6);
    expect(mean(videoSeconds.treated)).toBeGreaterThan(1.3 * mean(videoSeconds.control));
  });
});
