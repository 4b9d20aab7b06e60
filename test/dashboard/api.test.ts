import fs from 'node:fs';
import request from 'supertest';
import { configureJobs, closeJobsConnection } from '../../jobs/connection';
import { closeQueues, getQueue } from '../../jobs/queues';
import { signSession, KeepupSession } from '../../lti/sessionToken';
import { loadConfig } from '../../src/config';
import { readModelRecord } from '../../src/models/serialize';
import { defaultModelPath, installDefaultModels, OUTCOMES } from '../../src/registry/defaultModels';
import { unloadPredictors } from '../../src/registry/modelRegistry';
import { Campaign } from '../../src/storage/models/Campaign';
import { ModelVersion } from '../../src/storage/models/ModelVersion';
import { Score } from '../../src/storage/models/Score';
import { createApp } from '../../src/web/app';
import { forgetRunColumns } from '../../src/web/routes/dashboard/columnarData';
import { requireEnv, useTestDb, useTestRedis } from '../support';
import { buildCourse, seedRun, SeedLearner } from '../messaging/factories';

const RUN = new Date().toISOString().slice(0, 10);
const SECRET = process.env.KEEPUP_SESSION_SECRET ?? 'test-session-secret-0123456789abcdef01234';

function token(courseId: string, overrides: Partial<KeepupSession> = {}): string {
  return signSession({ platformId: 'p1', deploymentId: 'd1', courseId, contextId: 'ctx', userSub: 'inst-1', role: 'instructor', sharesName: true, sharesEmail: true, ...overrides }, SECRET);
}

const LEARNERS: SeedLearner[] = Array.from({ length: 24 }, (_, i) => ({
  givenName: `G${i}`,
  familyName: `F${i}`,
  email: `g${i}@example.edu`,
  dropout: (i % 10) / 10,
  completion: ((i * 3) % 10) / 10,
  certificate: ((i * 7) % 10) / 10,
  lastActiveDaysAgo: i,
}));

describe('dashboard API', () => {
  useTestDb();
  const redis = useTestRedis();
  let app: ReturnType<typeof createApp>;
  let courseId: string;
  let otherCourseId: string;
  let learnerIds: string[];

  beforeAll(async () => {
    configureJobs({ redisUrl: requireEnv('REDIS_URL'), prefix: redis.prefix });
    app = createApp({ config: loadConfig({ ...process.env, NODE_ENV: 'test' }), redis: redis.redis(), redisPrefix: redis.prefix, checks: { mongo: async () => true, redis: async () => true } });
    const course = await buildCourse({ title: 'Physics' });
    courseId = String(course._id);
    learnerIds = (await seedRun(course._id, RUN, LEARNERS)).map(String);
    otherCourseId = String((await buildCourse({ title: 'Other' }))._id);
    forgetRunColumns();
  });
  afterAll(async () => {
    await unloadPredictors();
    await closeQueues();
    await closeJobsConnection();
  });

  const get = (path: string, t = token(courseId)) => request(app).get(path).set('authorization', `Bearer ${t}`);
  const post = (path: string, body: object, t = token(courseId)) => request(app).post(path).set('authorization', `Bearer ${t}`).send(body);

  it('refuses requests without a session, from learners, and for another course', async () => {
    const none = await request(app).get(`/api/dashboard/courses/${courseId}/data`);
    expect([none.status, none.body.message]).toEqual([401, 'Send the Keepup session token as Authorization: Bearer <token>.']);
    const learner = await get(`/api/dashboard/courses/${courseId}/data`, token(courseId, { role: 'learner', learnerId: learnerIds[0] }));
    expect([learner.status, learner.body.message]).toEqual([403, 'This needs the instructor role.']);
    const other = await get(`/api/dashboard/courses/${courseId}/data`, token(otherCourseId));
    expect([other.status, other.body.message]).toEqual([403, 'This session is for another course.']);
    const otherCampaigns = await get(`/api/dashboard/courses/${courseId}/campaigns`, token(otherCourseId));
    expect(otherCampaigns.status).toBe(403);
  });

  it('serves the run as columns (thousandths), gzipped when asked, with an ETag', async () => {
    const res = await get(`/api/dashboard/courses/${courseId}/data`).set('accept-encoding', 'gzip');
    expect(res.headers['content-encoding']).toBe('gzip');
    expect(res.body).toMatchObject({ courseId, runDate: RUN, n: 24, scale: 1000 });
    for (const field of ['learnerId', 'dropout', 'completion', 'certificate', 'inactiveDays', 'lastWeekMinutes']) expect(res.body[field]).toHaveLength(24);
    const row = res.body.learnerId.indexOf(learnerIds[7]);
    expect([res.body.dropout[row], res.body.completion[row], res.body.certificate[row]]).toEqual([700, 100, 900]);
    expect(res.body.inactiveDays[row]).toBe(7);
    const again = await get(`/api/dashboard/courses/${courseId}/data`).set('if-none-match', res.headers.etag);
    expect(again.status).toBe(304);
  });

  it('shows pseudonyms unless names are asked for and shared, and never emails', async () => {
    const ids = learnerIds.slice(0, 2);
    const pseudo = await post(`/api/dashboard/courses/${courseId}/learners`, { ids });
    expect(pseudo.body.names).toBe(false);
    expect(pseudo.body.learners[0].label).toMatch(/^L-[0-9a-f]{12}$/);
    const named = await post(`/api/dashboard/courses/${courseId}/learners`, { ids, names: true });
    expect(named.body.learners.map((l: { label: string }) => l.label)).toEqual(['G0 F0', 'G1 F1']);
    expect(named.body.learners[1]).toMatchObject({ dropout: 0.1, completion: 0.3, certificate: 0.7, optedOut: false, contacted: false, factors: [{ outcome: 'dropout', text: 'no activity for 1 days', weight: 0.8 }, { outcome: 'completion', text: 'solved few problems', weight: -0.4 }] });
    expect(JSON.stringify(named.body)).not.toContain('@example.edu');
    const notShared = await post(`/api/dashboard/courses/${courseId}/learners`, { ids, names: true }, token(courseId, { sharesName: false }));
    expect(notShared.body.learners[0].label).toMatch(/^L-/);
    const foreign = await post(`/api/dashboard/courses/${otherCourseId}/learners`, { ids, names: true }, token(otherCourseId));
    expect(foreign.body.learners).toEqual([]);
  });

  it('reports the model card, and "not enough data" for a course without runs', async () => {
    const card = await get(`/api/dashboard/courses/${courseId}/model-card`);
    expect(card.body).toMatchObject({ status: 'ready', lastRunDate: RUN, learners: 24, outcomes: [{ outcome: 'dropout', version: 'dropout-test-1', auc: null }, { outcome: 'completion' }, { outcome: 'certificate' }] });
    const empty = await get(`/api/dashboard/courses/${otherCourseId}/model-card`, token(otherCourseId));
    expect(empty.body).toEqual({ status: 'not_enough_data', reason: 'No nightly run has scored this course yet.', lastRunDate: null, learners: 0 });
  });

  it('reports the validation AUC, Brier, ECE and reliability of the shipped default models that scored a run', async () => {
    const installed = await installDefaultModels();
    const course = await buildCourse({ title: 'Defaults' });
    await seedRun(course._id, RUN, LEARNERS);
    await Score.updateMany({ courseId: course._id }, { $set: Object.fromEntries(OUTCOMES.map((o) => [`modelVersions.${o}`, installed[o].version])) });
    // A version stored before versions kept their reliability diagram gets it from its buffer.
    await ModelVersion.updateOne({ _id: installed.dropout.version }, { $unset: { reliability: 1, trainedAt: 1 } });
    const card = await get(`/api/dashboard/courses/${course._id}/model-card`, token(String(course._id)));
    expect(card.body.outcomes.map((o: { outcome: string; version: string }) => [o.outcome, o.version])).toEqual(OUTCOMES.map((o) => [o, installed[o].version]));
    for (const outcome of card.body.outcomes) {
      const { info, calibration } = readModelRecord(fs.readFileSync(defaultModelPath(outcome.outcome)));
      expect(outcome).toMatchObject({ auc: info.validation.auc, brier: info.validation.brier, ece: info.validation.ece, validationRows: info.trainRows, trainedAt: info.trainedAt });
      expect(outcome.reliability).toEqual(calibration.reliability);
      expect(outcome.reliability.reduce((n: number, b: { count: number }) => n + b.count, 0)).toBe(info.trainRows);
    }
    expect((await ModelVersion.findById(installed.dropout.version, { reliability: 1 }).lean())!.reliability).toHaveLength(15);
  });

  it('validates campaigns with exact messages and keeps them inside their course', async () => {
    const bad = await post(`/api/dashboard/courses/${courseId}/campaigns`, { name: 'x', subject: 'Hi {{email}}', body: 'b', audience: {} });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toBe('subject: subject: unknown field {{email}}; use one of firstname, fullname, courseTitle, lastWeekMinutes, lastWeekProblems, lastWeekVideoMinutes, activeDays, daysSinceActive, totalMinutes');
    const range = await post(`/api/dashboard/courses/${courseId}/campaigns`, { name: 'x', subject: 's', body: 'b', audience: { dropout: { min: 0.9, max: 0.1 } } });
    expect(range.body.message).toBe('audience.dropout: min must not exceed max');
    const created = await post(`/api/dashboard/courses/${courseId}/campaigns`, { name: 'Nudge', subject: 'Hi [:firstname:]', body: 'You did {{lastWeekProblems}} problems.', audience: { dropout: { min: 0.5, max: 1 } } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'Nudge', status: 'draft', rounds: 0, counts: { sent: 0 } });
    const foreign = await get(`/api/dashboard/courses/${otherCourseId}/campaigns/${created.body.id}`, token(otherCourseId));
    expect([foreign.status, foreign.body.message]).toEqual([404, 'No such campaign in this course.']);
    const preview = await post(`/api/dashboard/courses/${courseId}/campaigns/${created.body.id}/preview`, { learnerId: learnerIds[3], names: true });
    expect(preview.body).toMatchObject({ learner: 'G3 F3', subject: 'Hi G3', text: 'You did 2 problems.' });
    const hidden = await post(`/api/dashboard/courses/${courseId}/campaigns/${created.body.id}/preview`, { learnerId: learnerIds[3] });
    expect(hidden.body).toMatchObject({ subject: 'Hi ‹first name›' });
    expect(hidden.body.learner).toMatch(/^L-/);
    const count = await post(`/api/dashboard/courses/${courseId}/audience/count`, { audience: { dropout: { min: 0.5, max: 1 } } });
    expect(count.body).toEqual({ runDate: RUN, matched: LEARNERS.filter((l) => l.dropout >= 0.5).length, optedOut: 0 });
  });

  it('sends, pauses, resumes, duplicates and stops with an audit trail', async () => {
    const created = await post(`/api/dashboard/courses/${courseId}/campaigns`, { name: 'Round trip', subject: 's', body: 'b', audience: { certificate: { min: 0.7, max: 1 } } });
    const id = created.body.id;
    const sent = await post(`/api/dashboard/courses/${courseId}/campaigns/${id}/send`, {});
    expect([sent.status, sent.body.round, sent.body.campaign.status]).toEqual([202, 1, 'active']);
    expect(await getQueue('messages').getJob(`round-${id}-1`)).toBeTruthy();
    expect((await post(`/api/dashboard/courses/${courseId}/campaigns/${id}/pause`, {})).body.status).toBe('paused');
    const pausedAgain = await post(`/api/dashboard/courses/${courseId}/campaigns/${id}/pause`, {});
    expect([pausedAgain.status, pausedAgain.body.message]).toEqual([409, 'Only an active campaign can be paused; this one is paused.']);
    expect((await post(`/api/dashboard/courses/${courseId}/campaigns/${id}/resume`, {})).body.status).toBe('active');
    const copy = await post(`/api/dashboard/courses/${courseId}/campaigns/${id}/duplicate`, {});
    expect(copy.body).toMatchObject({ name: 'Round trip (copy)', status: 'draft', duplicatedFrom: id, rounds: 0 });
    expect((await post(`/api/dashboard/courses/${courseId}/campaigns/${id}/stop`, {})).body.status).toBe('stopped');
    const resend = await post(`/api/dashboard/courses/${courseId}/campaigns/${id}/send`, {});
    expect([resend.status, resend.body.message]).toEqual([409, 'This campaign was stopped; duplicate it to send again.']);
    const history = await get(`/api/dashboard/courses/${courseId}/campaigns/${id}/history`);
    expect(history.body.events.map((e: { action: string }) => e.action).reverse()).toEqual(['campaign.created', 'campaign.sent', 'campaign.paused', 'campaign.resumed', 'campaign.stopped']);
    expect(await Campaign.countDocuments({ courseId })).toBe(3);
  });
});
