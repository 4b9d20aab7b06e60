import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import express from 'express';
import { pullCanvasCourse } from '../../src/ingest/connectors/canvasPull';
import { pullOpenEdxCourse } from '../../src/ingest/connectors/openedxPull';
import { createOutboundConnection } from '../../src/ingest/dataConnections';
import { readOutcomes } from '../../src/ingest/outcomes';
import { canvasRestApi, type CanvasCourseData } from '../../src/simulator/canvasApi/canvasRestApi';
import { openedxRestApi, type OpenEdxCourseData } from '../../src/simulator/openedxApi/openedxRestApi';
import { CourseBlock } from '../../src/storage/models/CourseBlock';
import { DataConnection } from '../../src/storage/models/DataConnection';
import { ImportRun } from '../../src/storage/models/ImportRun';
import { Learner } from '../../src/storage/models/Learner';
import { useTestDb } from '../support';
import { activityByUsernameDay, courseIdOf, generate, readJsonLines, tempDir } from './helpers';

async function serve(router: express.Router): Promise<{ url: string; close: () => Promise<void> }> {
  const app = express();
  app.set('trust proxy', false);
  app.use(router);
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  return { url, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

const fast = { baseDelayMs: 5, lowWaterPauseMs: 5, maxDelayMs: 50, perPage: 10 };

function totals(activity: Map<string, { counts: Record<string, number | undefined> }>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const day of activity.values()) for (const [c, n] of Object.entries(day.counts)) out[c] = (out[c] ?? 0) + (n ?? 0);
  return out;
}

describe('Canvas REST pull against the Canvas emulation', () => {
  useTestDb();
  const dir = tempDir('canvas-pull');
  let data: CanvasCourseData;
  let expected: Record<string, number>;
  let api: ReturnType<typeof canvasRestApi>;
  let server: { url: string; close: () => Promise<void> };
  let failing: ((url: string) => boolean) | undefined;
  let revokeAt = -1;

  beforeAll(async () => {
    await generate(dir, { platform: 'canvas', learners: 30, weeks: 2, seed: 4 });
    const enrollments = JSON.parse(fs.readFileSync(path.join(dir, 'canvas/enrollments.json'), 'utf8')) as Array<Record<string, unknown>>;
    const submissions = readJsonLines<Record<string, unknown>>(path.join(dir, 'canvas/submissions.jsonl.gz'));
    const summaries = JSON.parse(fs.readFileSync(path.join(dir, 'canvas/analytics_student_summaries.json'), 'utf8')) as Array<Record<string, unknown>>;
    const activity: CanvasCourseData['activity'] = {};
    for (const s of summaries) activity[String(s.id)] = { page_views: { '2025-02-04T10:00:00-00:00': Number(s.page_views), '2025-02-05T13:00:00-00:00': 2 }, participations: [] };
    data = { enrollments, submissions, studentSummaries: summaries, activity };
    const withViews = summaries.filter((s) => Number(s.page_views) > 0);
    expected = {
      enrollment: enrollments.length,
      access: enrollments.filter((e) => e.last_activity_at).length + withViews.reduce((sum, s) => sum + Number(s.page_views) + 2, 0),
      problem: submissions.filter((s) => s.submitted_at).length,
    };
    api = canvasRestApi({
      courses: { '7001': data, '7002': data },
      client: { clientId: 'dev-key', clientSecret: 'dev-secret', refreshToken: 'refresh-1' },
      quota: 12,
      // Slow enough that the pull outruns the bucket even on a loaded machine, so throttling always happens.
      drainPerSecond: 8,
      fail: (req) => {
        if (api.requests.length === revokeAt) api.tokens.clear();
        return failing?.(req.originalUrl) ?? false;
      },
    });
    server = await serve(api);
  });
  afterAll(() => server.close());

  const connect = (course: string) =>
    createOutboundConnection({ kind: 'canvas-rest', platform: 'canvas', baseUrl: server.url, externalCourseId: course, credentials: { clientId: 'dev-key', clientSecret: 'dev-secret', refreshToken: 'refresh-1' } });

  it('pulls enrollments, submissions and analytics through paging, throttling and a revoked token', async () => {
    revokeAt = 3;
    const id = await connect('7001');
    const summary = await pullCanvasCourse(id, { ...fast, lowWater: 0 });
    revokeAt = -1;
    expect(summary.byCategory).toEqual(expected);
    expect(summary.rejected).toBe(0);
    const courseId = await courseIdOf('7001');
    expect(await Learner.countDocuments({ courseId })).toBe(data.enrollments.length);
    expect(totals(await activityByUsernameDay(courseId))).toEqual(expected);
    const run = await ImportRun.findOne({ source: 'pull', connectionId: id }).lean();
    expect((run!.watermark as { throttled: number }).throttled).toBeGreaterThan(0);
    expect(api.requests.some((u) => /page=2/.test(u))).toBe(true);
    const grades = await readOutcomes(courseId, 'grade');
    expect(grades.size).toBe(data.enrollments.length);
  });

  it('a second pull adds nothing and only asks for submissions since the watermark', async () => {
    const id = String((await DataConnection.findOne({ 'settings.externalCourseId': '7001' }).lean())!._id);
    const before = totals(await activityByUsernameDay(await courseIdOf('7001')));
    api.requests.length = 0;
    await pullCanvasCourse(id, fast);
    expect(api.requests.find((u) => u.includes('/students/submissions'))).toContain('submitted_since=');
    expect(totals(await activityByUsernameDay(await courseIdOf('7001')))).toEqual(before);
  });

  it('resumes a crashed pull from the saved page without fetching earlier pages again', async () => {
    const id = await connect('7002');
    failing = (url) => url.includes('/students/submissions') && url.includes('page=2');
    await expect(pullCanvasCourse(id, { ...fast, attempts: 2 })).rejects.toThrow(/answered 500/);
    const saved = await DataConnection.findById(id).lean();
    expect(saved!.cursor).toMatchObject({ stage: 'submissions' });
    expect((saved!.cursor as { url: string }).url).toContain('page=2');
    failing = undefined;
    api.requests.length = 0;
    await pullCanvasCourse(id, fast);
    expect(api.requests.some((u) => u.includes('/enrollments'))).toBe(false);
    expect(api.requests.filter((u) => u.includes('/students/submissions') && !u.includes('page=2') && !u.includes('page=3'))).toEqual([]);
    expect(totals(await activityByUsernameDay(await courseIdOf('7002')))).toEqual(expected);
  });
});

describe('Open edX REST pull against the Open edX emulation', () => {
  useTestDb();
  const dir = tempDir('oe-pull');
  let server: { url: string; close: () => Promise<void> };
  let courseKey = '';
  let truth: Array<{ username: string; passed: boolean; certificate: boolean; finalGrade: number; submittedShare: number; enrolledAt: string }> = [];
  let blockCount = 0;

  beforeAll(async () => {
    courseKey = (await generate(dir, { learners: 25, weeks: 2, seed: 8 })).courseId;
    truth = readJsonLines(path.join(dir, 'truth.jsonl'));
    const course = JSON.parse(fs.readFileSync(path.join(dir, 'course.json'), 'utf8'));
    const blocks: OpenEdxCourseData['blocks'] = {};
    const root = `block-v1:${course.org}+${course.number}+${course.run}+type@course+block@course`;
    blocks[root] = { id: root, block_id: 'course', type: 'course', display_name: course.title, children: course.chapters.map((c: { id: string }) => c.id) };
    for (const ch of course.chapters) {
      blocks[ch.id] = { id: ch.id, block_id: ch.id, type: 'chapter', display_name: ch.displayName, children: ch.sequentials.map((s: { id: string }) => s.id) };
      for (const s of ch.sequentials) blocks[s.id] = { id: s.id, block_id: s.id, type: 'sequential', display_name: s.displayName, due: s.dueAt, graded: s.graded, format: s.format, children: [] };
    }
    blockCount = Object.keys(blocks).length;
    const data: OpenEdxCourseData = {
      enrollments: truth.map((t) => ({ username: t.username, created: t.enrolledAt, mode: 'audit', is_active: true })),
      grades: truth.map((t) => ({ username: t.username, email: `${t.username}@example.com`, passed: t.passed, percent: t.finalGrade, letter_grade: t.passed ? 'Pass' : null })),
      certificates: Object.fromEntries(truth.filter((t) => t.certificate).map((t) => [t.username, { certificate_type: 'verified', created_date: '2025-03-01T00:00:00Z', status: 'downloadable', is_passing: true, grade: String(t.finalGrade) }])),
      completion: Object.fromEntries(truth.map((t) => [t.username, { earned: Math.round(t.submittedShare * 100), possible: 100 }])),
      blocks,
      root,
    };
    server = await serve(openedxRestApi({ courses: { [courseKey]: data }, client: { clientId: 'keepup', clientSecret: 's3cret' }, ratePerSecond: 6 }));
  });
  afterAll(() => server.close());

  it('pulls enrollments, grades, certificates, completion and blocks with a JWT, through DRF paging and 429 throttling', async () => {
    const id = await createOutboundConnection({ kind: 'openedx-rest', platform: 'openedx', baseUrl: server.url, externalCourseId: courseKey, credentials: { clientId: 'keepup', clientSecret: 's3cret' } });
    const summary = await pullOpenEdxCourse(id, fast);
    const certified = truth.filter((t) => t.certificate).length;
    expect(summary.byCategory).toEqual({ enrollment: truth.length, ...(certified ? { certificate: certified } : {}) });
    const courseId = await courseIdOf(courseKey);
    const passed = await readOutcomes(courseId, 'passed');
    expect([...passed.values()].filter((v) => v === 1).length).toBe(truth.filter((t) => t.passed).length);
    expect([...(await readOutcomes(courseId, 'certificate')).values()].filter((v) => v === 1).length).toBe(certified);
    expect((await readOutcomes(courseId, 'completion')).size).toBe(truth.length);
    expect(await CourseBlock.countDocuments({ c: courseId })).toBe(blockCount);
    const run = await ImportRun.findOne({ source: 'pull', format: 'openedx-rest' }).lean();
    expect((run!.watermark as { throttled: number }).throttled).toBeGreaterThan(0);
    await pullOpenEdxCourse(id, fast);
    expect(totals(await activityByUsernameDay(courseId))).toEqual(summary.byCategory);
  });

  it('refuses wrong client credentials with a clear error', async () => {
    const id = await createOutboundConnection({ kind: 'openedx-rest', platform: 'openedx', baseUrl: server.url, externalCourseId: courseKey, credentials: { clientId: 'keepup', clientSecret: 'wrong' } });
    await expect(pullOpenEdxCourse(id, fast)).rejects.toThrow(/oauth2\/access_token answered 401/);
  });
});
