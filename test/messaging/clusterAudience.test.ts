import request from 'supertest';
import { Types } from 'mongoose';
import { signSession } from '../../lti/sessionToken';
import { loadConfig } from '../../src/config';
import { audienceSchema, resolveAudience } from '../../src/messaging/audience';
import { allocateAutoRound, enqueueRound } from '../../src/messaging/campaignRounds';
import { Campaign } from '../../src/storage/models/Campaign';
import { CourseInsight } from '../../src/storage/models/CourseInsight';
import { LearnerCluster } from '../../src/storage/models/LearnerCluster';
import { createApp } from '../../src/web/app';
import { useTestDb, useTestRedis } from '../support';
import { buildCourse, seedRun, SeedLearner } from './factories';

const SECRET = process.env.KEEPUP_SESSION_SECRET ?? 'test-session-secret-0123456789abcdef01234';
const LABELS = ['Regular learners', 'Fading out', 'Forum-active learners'];

/** Stores a clustering as the insights computation does: the course's clusters and each learner's label. */
async function storeClustering(courseId: string, runDate: string, labelOf: string[], learnerIds: Types.ObjectId[]): Promise<void> {
  await LearnerCluster.deleteMany({ c: courseId });
  await LearnerCluster.insertMany(
    learnerIds.flatMap((id, i) => (labelOf[i] ? [{ _id: `${courseId}|${id}`, c: courseId, l: String(id), k: LABELS.indexOf(labelOf[i]), label: labelOf[i], runDate }] : [])),
  );
  const clusters = LABELS.map((label, k) => ({ id: k, label, description: `${label}.`, size: labelOf.filter((l) => l === label).length, share: 0, dropoutRate: k === 1 ? 0.8 : 0.1 }));
  await CourseInsight.replaceOne({ _id: courseId }, { runDate, asOfDay: 0, computedAt: new Date(), overview: {}, clusters: { clusters }, design: {} }, { upsert: true });
}

describe('behaviour clusters as a campaign audience filter', () => {
  useTestDb();
  const redis = useTestRedis();
  // Twelve learners; dropout 0.1 .. 0.65; clusters cycle Regular, Fading, Forum; the last learner is not clustered yet.
  const learners: SeedLearner[] = Array.from({ length: 12 }, (_, i) => ({ givenName: `L${i}`, email: `l${i}@example.edu`, dropout: 0.1 + i * 0.05, completion: 0.5, certificate: 0.3 }));
  const firstLabels = learners.map((_, i) => (i === 11 ? '' : LABELS[i % 3]));
  let courseId: Types.ObjectId;
  let ids: Types.ObjectId[];

  beforeAll(async () => {
    courseId = (await buildCourse({ title: 'Clusters 101' }))._id;
    ids = await seedRun(courseId, '2025-03-01', learners);
    await storeClustering(String(courseId), '2025-03-01', firstLabels, ids);
  });

  const idsWhere = (test: (i: number) => boolean) => ids.filter((_, i) => test(i)).map(String).sort();

  it('validates the cluster filter at the boundary', () => {
    expect(audienceSchema.parse({ clusters: ['Fading out'] }).clusters).toEqual(['Fading out']);
    expect(audienceSchema.parse({}).clusters).toBeUndefined();
    expect(audienceSchema.safeParse({ clusters: [] }).success).toBe(false);
    expect(audienceSchema.safeParse({ clusters: [''] }).success).toBe(false);
    expect(audienceSchema.safeParse({ clusters: 'Fading out' }).success).toBe(false);
  });

  it('resolves the intersection of score ranges and the picked clusters; without the filter clusters are ignored', async () => {
    const base = audienceSchema.parse({ dropout: { min: 0, max: 0.4 } });
    const all = await resolveAudience(courseId, '2025-03-01', base);
    expect(all.map((s) => String(s.learnerId)).sort()).toEqual(idsWhere((i) => 0.1 + i * 0.05 <= 0.4 + 1e-9));
    const fading = await resolveAudience(courseId, '2025-03-01', { ...base, clusters: ['Fading out'] });
    expect(fading.map((s) => String(s.learnerId)).sort()).toEqual(idsWhere((i) => i % 3 === 1 && i <= 6));
    const two = await resolveAudience(courseId, '2025-03-01', audienceSchema.parse({ clusters: ['Fading out', 'Forum-active learners'] }));
    expect(two.map((s) => String(s.learnerId)).sort()).toEqual(idsWhere((i) => i !== 11 && i % 3 !== 0));
    const gone = await resolveAudience(courseId, '2025-03-01', audienceSchema.parse({ clusters: ['No such cluster'] }));
    expect(gone).toEqual([]);
  });

  it('re-reads clusters at every automatic round: learners who move into a picked cluster are messaged once, those who leave are not recalled', async () => {
    const campaign = await Campaign.create({ courseId, name: 'Fading', status: 'active', auto: true, subject: 'Hi', body: 'Come back', audience: { clusters: ['Fading out'] }, createdBy: { userSub: 'inst' } });
    const first = await enqueueRound(campaign._id, (await allocateAutoRound(campaign._id, '2025-03-01'))!);
    expect(first.matched).toBe(4);
    // Next night: learner 0 and the newly clustered learner 11 fade; learner 1 recovers.
    await seedRun(courseId, '2025-03-02', learners, ids);
    const next = firstLabels.map((l, i) => (i === 0 || i === 11 ? 'Fading out' : i === 1 ? 'Regular learners' : l));
    await storeClustering(String(courseId), '2025-03-02', next, ids);
    const second = await enqueueRound(campaign._id, (await allocateAutoRound(campaign._id, '2025-03-02'))!);
    expect(second).toMatchObject({ runDate: '2025-03-02', matched: 5, alreadyMessaged: 3 });
    expect(second.queued).toHaveLength(2);
  });

  it('carries the filter through the dashboard API: columns of the latest clustering, campaign create and audience count', async () => {
    const app = createApp({ config: loadConfig({ ...process.env, NODE_ENV: 'test' }), redis: redis.redis(), redisPrefix: redis.prefix, checks: { mongo: async () => true, redis: async () => true } });
    const token = signSession({ platformId: 'p1', deploymentId: 'd1', courseId: String(courseId), contextId: 'ctx', userSub: 'inst-1', role: 'instructor', sharesName: true, sharesEmail: true }, SECRET);
    const auth = { authorization: `Bearer ${token}` };
    const base = `/api/dashboard/courses/${courseId}`;

    const cols = await request(app).get(`${base}/clusters`).set(auth);
    expect(cols.status).toBe(200);
    expect(cols.body.clusters.map((c: { label: string }) => c.label)).toEqual(LABELS);
    expect(cols.body.learnerId).toHaveLength(12);
    const fadingIndex = LABELS.indexOf('Fading out');
    expect(cols.body.learnerId.filter((_: string, i: number) => cols.body.cluster[i] === fadingIndex).sort()).toEqual(idsWhere((i) => i === 0 || i === 11 || (i % 3 === 1 && i !== 1)));

    const count = await request(app).post(`${base}/audience/count`).set(auth).send({ audience: { dropout: { min: 0, max: 0.32 }, clusters: ['Fading out'] } });
    expect(count.body).toMatchObject({ runDate: '2025-03-02', matched: 2 });
    const bad = await request(app).post(`${base}/audience/count`).set(auth).send({ audience: { clusters: [] } });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/^clusters: /);

    const created = await request(app).post(`${base}/campaigns`).set(auth).send({ name: 'Forum', subject: 'Hi', body: 'Thanks for posting', audience: { clusters: ['Forum-active learners'] } });
    expect(created.status).toBe(201);
    expect(created.body.audience.clusters).toEqual(['Forum-active learners']);
    const plain = await request(app).post(`${base}/campaigns`).set(auth).send({ name: 'All', subject: 'Hi', body: 'Hello', audience: {} });
    expect(plain.body.audience.clusters).toBeNull();
  });
});
