import request from 'supertest';
import { loadConfig } from '../../src/config';
import { createApp } from '../../src/web/app';
import { computeExperimentOutcomes } from '../../src/experiments/computeExperimentOutcomes';
import { Assignment } from '../../src/storage/models/Assignment';
import { Experiment } from '../../src/storage/models/Experiment';
import { generatedReader, seedCourse, tokenFor } from './fixtures';
import { useTestDb, useTestRedis } from '../support';

useTestDb();
const redis = useTestRedis();

describe('experiments API and pages', () => {
  let app: ReturnType<typeof createApp>;
  let courseId: string;
  let learnerIds: string[];
  let otherCourse: string;
  let instructor: string;
  let experimentId: string;

  beforeAll(async () => {
    app = createApp({ config: loadConfig({ ...process.env, NODE_ENV: 'test' }), redis: redis.redis(), redisPrefix: redis.prefix, checks: { mongo: async () => true, redis: async () => true } });
    ({ courseId, learnerIds } = await seedCourse({ learners: 120, optedOut: (i) => i === 7 }));
    otherCourse = (await seedCourse({ learners: 1 })).courseId;
    instructor = tokenFor(courseId, 'instructor');
  });

  it('creates an experiment with the default arms and holdout', async () => {
    const res = await request(app).post(`/api/courses/${courseId}/experiments`).set('authorization', `Bearer ${instructor}`).send({ name: 'Spring nudges' });
    expect(res.status).toBe(201);
    experimentId = res.body.experiment.id;
    expect(res.body.experiment).toMatchObject({ name: 'Spring nudges', status: 'draft', holdout: 0.1, stratifyByDropout: false });
    expect(res.body.experiment.arms.map((a: { key: string }) => a.key)).toEqual(['certificate', 'certificate-video', 'effort', 'control']);
    expect(res.body.experiment.salt).toBeUndefined();
  });

  it('rejects invalid designs with the field named', async () => {
    const res = await request(app).post(`/api/courses/${courseId}/experiments`).set('authorization', `Bearer ${instructor}`).send({ name: 'x', holdout: 0.9 });
    expect(res.status).toBe(400);
    expect(res.body.message).toBe('holdout: Too big: expected number to be <=0.5');
  });

  it('starts it: learners are assigned at once and the opted-out learner is counted', async () => {
    const res = await request(app).post(`/api/courses/${courseId}/experiments/${experimentId}/start`).set('authorization', `Bearer ${instructor}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ refresh: 'done', experiment: { status: 'running', optedOut: 1 } });
    expect(await Assignment.countDocuments({ experimentId })).toBe(119);
    const again = await request(app).post(`/api/courses/${courseId}/experiments/${experimentId}/start`).set('authorization', `Bearer ${instructor}`);
    expect(again.status).toBe(409);
    expect(again.body.message).toBe('This experiment is running; only a draft can be started.');
  });

  it('rejects learner tokens and instructors of other courses on every instructor endpoint', async () => {
    const learner = tokenFor(courseId, 'learner', learnerIds[0]);
    const stranger = tokenFor(otherCourse, 'instructor');
    const endpoints: Array<[string, string]> = [
      ['get', `/api/courses/${courseId}/experiments`],
      ['post', `/api/courses/${courseId}/experiments`],
      ['post', `/api/courses/${courseId}/experiments/${experimentId}/stop`],
      ['get', `/api/courses/${courseId}/experiments/${experimentId}/results`],
      ['get', `/api/courses/${courseId}/experiments/${experimentId}/results.csv`],
      ['get', `/api/courses/${courseId}/experiments/${experimentId}/outcomes.csv`],
      ['post', `/api/courses/${courseId}/experiments/${experimentId}/outcomes`],
    ];
    for (const [method, url] of endpoints) {
      const asLearner = await (request(app) as unknown as Record<string, (u: string) => request.Test>)[method](url).set('authorization', `Bearer ${learner}`);
      expect([url, asLearner.status, asLearner.body.message]).toEqual([url, 403, 'This needs the instructor role.']);
      const asStranger = await (request(app) as unknown as Record<string, (u: string) => request.Test>)[method](url).set('authorization', `Bearer ${stranger}`);
      expect([url, asStranger.status, asStranger.body.message]).toEqual([url, 403, 'This session is for another course.']);
      const anonymous = await (request(app) as unknown as Record<string, (u: string) => request.Test>)[method](url);
      expect([url, anonymous.status]).toEqual([url, 401]);
    }
    const foreign = await request(app).post(`/api/courses/${otherCourse}/experiments/${experimentId}/outcomes`).set('authorization', `Bearer ${stranger}`);
    expect([foreign.status, foreign.body.message]).toEqual([404, 'No such experiment in this course.']);
    const page = await request(app).post('/experiments').type('form').send({ token: learner });
    expect(page.status).toBe(403);
    const noToken = await request(app).post(`/experiments/${experimentId}`).type('form').send({});
    expect(noToken.status).toBe(401);
  });

  it('shows results, CSV and the results page once outcomes exist', async () => {
    await Experiment.updateOne({ _id: experimentId }, { $set: { startDay: 20150 } });
    await computeExperimentOutcomes({ experimentId, reader: generatedReader(learnerIds), throughDay: 20170 });
    const results = await request(app).get(`/api/courses/${courseId}/experiments/${experimentId}/results`).set('authorization', `Bearer ${instructor}`);
    expect(results.status).toBe(200);
    expect(results.body.metrics.map((m: { metric: string }) => m.metric)).toEqual(['videoMinutes', 'assignmentsCompleted', 'correctRatio', 'activeDays', 'dropout']);
    expect(results.body.groups.reduce((s: number, g: { assigned: number }) => s + g.assigned, 0)).toBe(119);
    const csv = await request(app).get(`/api/courses/${courseId}/experiments/${experimentId}/results.csv`).set('authorization', `Bearer ${instructor}`);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.headers['content-disposition']).toBe(`attachment; filename=experiment-${experimentId}-results.csv`);
    expect(csv.text.split('\r\n')[0]).toBe('experiment,metric,group,assigned,n,mean,sd,difference_vs_control,ci95_low,ci95_high,welch_df,p_value,p_value_holm,significant_holm');
    const page = await request(app).post(`/experiments/${experimentId}`).type('form').send({ token: instructor });
    expect(page.status).toBe(200);
    expect(page.text).toContain('<h1>Spring nudges</h1>');
    expect(page.text).toContain('<caption>Video time (minutes)</caption>');
    expect(page.text).toContain('data-testid="srm"');
    const list = await request(app).post('/experiments').type('form').send({ token: instructor });
    expect(list.status).toBe(200);
    expect(list.text).toContain('Spring nudges');
  });

  it('stops it', async () => {
    const res = await request(app).post(`/api/courses/${courseId}/experiments/${experimentId}/stop`).set('authorization', `Bearer ${instructor}`);
    expect(res.status).toBe(200);
    expect(res.body.experiment.status).toBe('stopped');
  });
});
