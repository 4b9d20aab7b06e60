import crypto from 'node:crypto';
import request from 'supertest';
import { closeJobsConnection } from '../../jobs/connection';
import { closeQueues } from '../../jobs/queues';
import { loadConfig } from '../../src/config';
import { unloadPredictors } from '../../src/registry/modelRegistry';
import { asOfDayOf } from '../../src/scoring/runDate';
import { runCourseNow } from '../../src/scoring/runCourseNow';
import { createApp } from '../../src/web/app';
import { sha256 } from '../../src/web/auth/passwords';
import { mixedLearners, seedCourse } from '../scoring/seedCourse';
import { useTestDb, useTestRedis } from '../support';

useTestDb();
const redis = useTestRedis();
afterAll(async () => {
  await unloadPredictors();
  await closeQueues();
  await closeJobsConnection();
});

const RUN_DATE = '2025-03-10';
const START = asOfDayOf(RUN_DATE) - 20;

describe('admin Runs page and BullMQ board', () => {
  let app: ReturnType<typeof createApp>;
  let cookie: string;
  let runId: string;

  beforeAll(async () => {
    app = createApp({ config: loadConfig(), checks: { mongo: async () => true, redis: async () => true }, redis: redis.redis(), redisPrefix: redis.prefix });
    const { courseId } = await seedCourse(mixedLearners(12, START, 21), { startDay: START });
    runId = (await runCourseNow(courseId, RUN_DATE, { partitionSize: 5 }))._id;
    const id = crypto.randomBytes(32).toString('base64url');
    await redis.redis().set(`${redis.prefix}:admin:sess:${sha256(id)}`, JSON.stringify({ csrf: 'c'.repeat(32), adminId: 'admin-1', email: 'ada@example.edu' }), 'EX', 600);
    cookie = `keepup_admin=${id}`;
  }, 120_000);

  it('sends visitors who are not signed in to the admin login', async () => {
    for (const path of ['/admin/runs', `/admin/runs/${encodeURIComponent(runId)}`, '/admin/queues']) {
      const res = await request(app).get(path);
      expect([res.status, res.headers.location]).toEqual([303, '/admin/login']);
    }
  });

  it('lists runs with their steps and progress', async () => {
    const res = await request(app).get('/admin/runs').set('cookie', cookie);
    expect(res.status).toBe(200);
    expect(res.text).toContain(`<a href="/admin/runs/${runId}">${RUN_DATE}</a>`);
    expect(res.text).toContain('<td>12 / 12</td>');
    expect(res.text).toContain('3/3 partitions featurized, 3/3 scored');
    expect(res.text).toContain('pull: skipped');
    expect(res.text).not.toContain('http-equiv="refresh"');
  });

  it('shows one run: steps, models and partitions', async () => {
    const res = await request(app).get(`/admin/runs/${encodeURIComponent(runId)}`).set('cookie', cookie);
    expect(res.status).toBe(200);
    expect(res.text).toContain('<dd id="run-status">completed</dd>');
    expect(res.text).toMatch(/<td>score<\/td><td>done<\/td><td>[\d.]+<\/td><td>12 learners scored<\/td>/);
    expect(res.text).toMatch(/dropout: <code>dropout-default-default-[0-9a-f]{12}<\/code>/);
    expect(res.text).toContain('not causal effects');
    const missing = await request(app).get('/admin/runs/nope').set('cookie', cookie);
    expect(missing.status).toBe(404);
  });

  it('mounts the BullMQ board for admins', async () => {
    const res = await request(app).get('/admin/queues').set('cookie', cookie);
    expect(res.status).toBe(200);
    expect(res.text).toContain('<title>Bull Dashboard</title>');
    const api = await request(app).get('/admin/queues/api/queues').set('cookie', cookie);
    expect(api.status).toBe(200);
    expect(api.body.queues.map((q: { name: string }) => q.name).sort()).toEqual(['ingest', 'maintenance', 'messages', 'nightly']);
  });
});
