import request from 'supertest';
import { Types } from 'mongoose';
import { HOLDOUT_ARM } from '../../src/experiments/assignment';
import { assignLearners } from '../../src/experiments/experimentAssigner';
import { createExperiment, startExperiment } from '../../src/experiments/experimentLifecycle';
import { stratumCounts } from '../../src/experiments/stratumCounts';
import { loadConfig } from '../../src/config';
import { Assignment } from '../../src/storage/models/Assignment';
import { CourseInsight } from '../../src/storage/models/CourseInsight';
import { Experiment, ExperimentDoc } from '../../src/storage/models/Experiment';
import { Learner } from '../../src/storage/models/Learner';
import { LearnerCluster } from '../../src/storage/models/LearnerCluster';
import { createApp } from '../../src/web/app';
import { useTestDb, useTestRedis } from '../support';
import { seedCourse, tokenFor } from './fixtures';

useTestDb();
const redis = useTestRedis();

const LABELS = ['Regular learners', 'Fading out', 'Forum-active learners'];

/** Stores a clustering as the insights computation does; `labelOf(i)` '' leaves learner i unclustered. */
async function storeClustering(courseId: string, learnerIds: string[], labelOf: (i: number) => string): Promise<void> {
  await LearnerCluster.deleteMany({ c: courseId });
  const docs = learnerIds.flatMap((l, i) => (labelOf(i) ? [{ _id: `${courseId}|${l}`, c: courseId, l, k: LABELS.indexOf(labelOf(i)), label: labelOf(i), runDate: '2025-03-10' }] : []));
  await LearnerCluster.insertMany(docs);
  const clusters = LABELS.map((label, k) => ({ id: k, label, description: `${label}.`, size: docs.filter((d) => d.label === label).length, share: 0, dropoutRate: 0.2 }));
  await CourseInsight.replaceOne({ _id: courseId }, { runDate: '2025-03-10', asOfDay: 0, computedAt: new Date(), overview: {}, clusters: { clusters }, design: {} }, { upsert: true });
}

/** 150 / 80 / 30 learners in the three clusters, the last 40 not clustered yet. */
const firstClustering = (i: number) => (i < 150 ? LABELS[0] : i < 230 ? LABELS[1] : i < 260 ? LABELS[2] : '');

async function armsByStratum(experimentId: Types.ObjectId): Promise<Map<string, Map<string, number>>> {
  const out = new Map<string, Map<string, number>>();
  for (const a of await Assignment.find({ experimentId, arm: { $ne: HOLDOUT_ARM } }).lean()) {
    const arms = out.get(a.stratum) ?? new Map<string, number>();
    arms.set(a.arm, (arms.get(a.arm) ?? 0) + 1);
    out.set(a.stratum, arms);
  }
  return out;
}

function expectBalanced(byStratum: Map<string, Map<string, number>>, arms: string[]): void {
  for (const counts of byStratum.values()) {
    const values = arms.map((a) => counts.get(a) ?? 0);
    expect(Math.max(...values) - Math.min(...values)).toBeLessThanOrEqual(1);
  }
}

describe('behaviour cluster as an experiment stratum', () => {
  let courseId: string;
  let learnerIds: string[];
  let experiment: ExperimentDoc;
  let first: Map<string, { arm: string; stratum: string }>;
  const ARMS = ['certificate', 'certificate-video', 'effort', 'control'];

  beforeAll(async () => {
    ({ courseId, learnerIds } = await seedCourse({ learners: 300 }));
    await storeClustering(courseId, learnerIds, firstClustering);
    experiment = await createExperiment({ courseId, input: { name: 'By cluster', stratifyByCluster: true } });
    await startExperiment({ courseId, experimentId: String(experiment._id) });
    await assignLearners(experiment);
    first = new Map((await Assignment.find({ experimentId: experiment._id }).lean()).map((a) => [String(a.learnerId), { arm: a.arm, stratum: a.stratum }]));
  });

  it('puts each learner in the stratum of their cluster (or unclustered) and balances arms within every stratum', async () => {
    expect(first.size).toBe(300);
    learnerIds.forEach((id, i) => expect(first.get(id)!.stratum).toBe(firstClustering(i) || 'unclustered'));
    const byStratum = await armsByStratum(experiment._id);
    expect([...byStratum.keys()].sort()).toEqual([...LABELS, 'unclustered'].sort());
    expectBalanced(byStratum, ARMS);
    const counts = await stratumCounts(experiment._id);
    expect(counts.map((c) => [c.stratum, c.total])).toEqual([[LABELS[0], 150], [LABELS[1], 80], ['unclustered', 40], [LABELS[2], 30]]);
  });

  it('is deterministic: the same salt and clustering give every learner the same arm', async () => {
    const twin = await createExperiment({ courseId, input: { name: 'Twin', stratifyByCluster: true }, salt: (await Experiment.findById(experiment._id).lean())!.salt });
    await assignLearners(twin);
    const again = await Assignment.find({ experimentId: twin._id }).lean();
    expect(again).toHaveLength(300);
    for (const a of again) expect({ arm: a.arm, stratum: a.stratum }).toEqual(first.get(String(a.learnerId)));
    await Assignment.deleteMany({ experimentId: twin._id });
    await Experiment.deleteOne({ _id: twin._id });
  });

  it('keeps every assignment when clusters change, assigns newcomers in their cluster and stays balanced', async () => {
    const newcomers = await Learner.insertMany(Array.from({ length: 37 }, (_, i) => ({ courseId: new Types.ObjectId(courseId), pseudonym: `N-${i}` })));
    const all = [...learnerIds, ...newcomers.map((l) => String(l._id))];
    // Reclustered: everyone shifts one cluster along, and the newcomers and the earlier unclustered learners are clustered.
    await storeClustering(courseId, all, (i) => LABELS[(i + 1) % 3]);
    const run = await assignLearners(experiment);
    expect(run).toMatchObject({ assigned: 37, existing: 300 });
    const now = await Assignment.find({ experimentId: experiment._id }).lean();
    for (const a of now) {
      const before = first.get(String(a.learnerId));
      if (before) expect({ arm: a.arm, stratum: a.stratum }).toEqual(before);
      else expect(a.stratum).toBe(LABELS[(all.indexOf(String(a.learnerId)) + 1) % 3]);
    }
    expectBalanced(await armsByStratum(experiment._id), ARMS);
    expect((await assignLearners(experiment)).assigned).toBe(0);
  });

  it('combines dropout risk and cluster into joint strata', async () => {
    const joint = await createExperiment({ courseId, input: { name: 'Joint', stratifyByDropout: true, stratifyByCluster: true, holdout: 0 } });
    await assignLearners(joint);
    const byStratum = await armsByStratum(joint._id);
    expect([...byStratum.keys()]).toContain(`low · ${LABELS[1]}`);
    expect([...byStratum.keys()].every((s) => /^(low|medium|high|unscored) · /.test(s))).toBe(true);
    expectBalanced(byStratum, ARMS);
  });

  it('shows per-stratum counts on the results page and in the results API', async () => {
    const app = createApp({ config: loadConfig({ ...process.env, NODE_ENV: 'test' }), redis: redis.redis(), redisPrefix: redis.prefix, checks: { mongo: async () => true, redis: async () => true } });
    const token = tokenFor(courseId, 'instructor');
    const api = await request(app).get(`/api/courses/${courseId}/experiments/${experiment._id}/results`).set('authorization', `Bearer ${token}`);
    expect(api.status).toBe(200);
    expect(api.body.strata.map((s: { stratum: string }) => s.stratum).sort()).toEqual([...LABELS, 'unclustered'].sort());
    const page = await request(app).post(`/experiments/${experiment._id}`).type('form').send({ token });
    expect(page.status).toBe(200);
    expect(page.text).toContain('Stratified by behaviour cluster.');
    expect(page.text).toContain('data-testid="strata"');
    expect(page.text).toContain(`<tr data-stratum="${LABELS[0]}"><th scope="row">${LABELS[0]}</th>`);
    const list = await request(app).post('/experiments').type('form').send({ token });
    expect(list.text).toContain('Stratify by behaviour cluster');
    expect(list.text).toContain(`${LABELS[0]} (`);
  });
});
