import request from 'supertest';
import { loadConfig } from '../../src/config';
import { createApp } from '../../src/web/app';
import { analyzeExperiment } from '../../src/experiments/analyzeExperiment';
import { experimentsDemoSection } from '../../src/experiments/demo/experimentsDemoSection';
import { DEMO_EXPERIMENT_NAME, startDemoExperiment } from '../../src/experiments/demo/startDemoExperiment';
import { NudgeCache } from '../../src/storage/models/NudgeCache';
import { seedCourse } from './fixtures';
import { useTestDb, useTestRedis } from '../support';

useTestDb();
const redis = useTestRedis();

describe('demo experiment', () => {
  it('starts the default experiment on a course with a planted effect the results page finds', async () => {
    const { courseId } = await seedCourse({ learners: 600, optedOut: (i) => i % 100 === 0 });
    const demo = await startDemoExperiment({ courseId, redis: redis.redis(), prefix: redis.prefix, now: new Date('2025-03-31T08:00:00Z') });
    expect(demo.assigned).toBe(594);
    expect(demo.outcomes).toMatchObject({ fromDay: 20150, toDay: 20177, learners: 594 });
    expect(demo.resultsPath).toBe(`/demo/experiments/${demo.experimentId}`);
    expect(await NudgeCache.countDocuments({ courseId })).toBe(600);

    const results = await analyzeExperiment(demo.experimentId, courseId);
    expect(results.experiment.name).toBe(DEMO_EXPERIMENT_NAME);
    expect(results.srm.mismatch).toBe(false);
    const effortVideo = results.metrics.find((m) => m.metric === 'videoMinutes')!.groups.find((g) => g.arm === 'effort')!;
    expect(effortVideo.vsControl!.pValue).toBeLessThan(0.001);
    expect(effortVideo.vsControl!.ciLow).toBeGreaterThan(0);
    expect(results.groups.find((g) => g.key === 'effort')!.exposedLearners).toBeGreaterThan(0);

    const again = await startDemoExperiment({ courseId, redis: redis.redis(), prefix: redis.prefix });
    expect(again).toMatchObject({ experimentId: demo.experimentId, assigned: 594, outcomes: null });

    const section = await experimentsDemoSection({ deps: {} as never, baseUrl: 'http://x' });
    expect(section!.links![0]).toEqual({ label: `Results: ${DEMO_EXPERIMENT_NAME} (Biology 101)`, href: demo.resultsPath });
    expect(section!.table![0]).toEqual(['Group', 'n', 'Mean video minutes', 'Difference from control (95% CI)', 'p (Welch)', 'p (Holm, 15 tests)']);
    expect(section!.table!.map((r) => r[0])).toEqual(['Group', 'Certificate-driven', 'Certificate-driven in video', 'Effort-driven', 'Control', 'Holdout (no nudge, not compared)']);

    process.env.KEEPUP_DEMO = '1';
    try {
      const app = createApp({ config: loadConfig({ ...process.env, NODE_ENV: 'test' }), redis: redis.redis(), redisPrefix: redis.prefix, checks: { mongo: async () => true, redis: async () => true } });
      const page = await request(app).get(demo.resultsPath);
      expect(page.status).toBe(200);
      expect(page.text).toContain(`<h1>${DEMO_EXPERIMENT_NAME}</h1>`);
      expect(page.text).toContain('<caption>Video time (minutes)</caption>');
      expect(page.text).toContain('<th scope="col">Adjusted p-value (Holm)</th>');
      expect(page.text).toContain('<tr data-arm="effort" class="significant">');
      expect(page.text).toContain('adjusted over all 15, and only an adjusted p-value under 0.05 is marked significant.');
    } finally {
      delete process.env.KEEPUP_DEMO;
    }
  }, 120_000);
});
