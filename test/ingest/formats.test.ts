import fs from 'node:fs';
import path from 'node:path';
import { readCourseActivity } from '../../src/ingest/activityReader';
import { importFiles } from '../../src/ingest/fileImport';
import { readOutcomes } from '../../src/ingest/outcomes';
import { Learner } from '../../src/storage/models/Learner';
import { useTestDb } from '../support';
import { activityByUsernameDay, courseIdOf, generate, readJsonLines, readTruthDaily, tempDir } from './helpers';
import { KDD_DAILY_DIR } from '../sharedData';

const KDD = KDD_DAILY_DIR;

describe('file formats', () => {
  useTestDb();
  const dir = tempDir('fmt');
  let courseKey = '';

  beforeAll(async () => {
    courseKey = (await generate(dir, { learners: 25, weeks: 2, seed: 5 })).courseId;
  });

  it('keeps events of unknown learners pending and resolves them when the roster arrives', async () => {
    const result = await importFiles({ format: 'tracking-log', paths: [path.join(dir, 'tracking.log.gz')] });
    const courseId = await courseIdOf(courseKey);
    expect(await Learner.countDocuments({ courseId })).toBe(0);
    const pending = await activityByUsernameDay(courseId, true);
    expect(pending.size).toBe(result.days);
    expect((await activityByUsernameDay(courseId)).size).toBe(0);
    await importFiles({ format: 'roster', paths: [path.join(dir, 'roster.jsonl')], course: courseKey });
    const resolved = await activityByUsernameDay(courseId);
    expect(resolved).toEqual(pending);
    expect(resolved.size).toBe(readTruthDaily(dir).length);
  });

  it('imports event-routing-backends xAPI as JSON lines, as a JSON array and as a file per statement, counting each statement once per source file', async () => {
    const statements = readJsonLines<Record<string, unknown>>(path.join(dir, 'xapi.jsonl.gz'));
    const xdir = path.join(dir, 'xapi');
    fs.mkdirSync(path.join(xdir, 'single'), { recursive: true });
    fs.writeFileSync(path.join(xdir, 'array.json'), JSON.stringify(statements.slice(0, 20), null, 2));
    for (const [i, s] of statements.slice(20, 25).entries()) fs.writeFileSync(path.join(xdir, 'single', `${i}.json`), JSON.stringify(s, null, 2));
    fs.writeFileSync(path.join(xdir, 'lines.jsonl'), statements.slice(25, 40).map((s) => JSON.stringify(s)).join('\n'));
    const result = await importFiles({ format: 'xapi', paths: [xdir], platform: 'openedx' });
    expect(result.read).toBe(40);
    expect(result.accepted).toBe(40);
    const verbs = statements.slice(0, 40).map((s) => (s.verb as { id: string }).id);
    expect(result.byCategory.video ?? 0).toBe(verbs.filter((v) => /video\/verbs|initialized|terminated/.test(v)).length);
    const all = await importFiles({ format: 'xapi', paths: [path.join(dir, 'xapi.jsonl.gz')] });
    expect(all.read).toBe(statements.length);
    expect(all.rejected).toBe(0);
    expect(all.byCategory.other ?? 0).toBe(0);
  });

  it('imports Caliper envelopes, counting unknown types as other and rejecting bad times', async () => {
    const event = (action: string, type: string, objectType: string, t: string, extra: object = {}) => ({
      '@context': 'http://purl.imsglobal.org/ctx/caliper/v1p2', id: `urn:uuid:${Math.random()}`, type, action, eventTime: t,
      actor: { id: 'urn:instructure:canvas:user:21070000000000042', type: 'Person' },
      object: { id: 'https://canvas.example/courses/77/pages/intro', type: objectType },
      group: { id: 'urn:instructure:canvas:course:21070000000000077', type: 'CourseOffering' }, ...extra,
    });
    const envelope = { sensor: 'https://canvas.example', sendTime: '2025-02-04T10:00:00Z', dataVersion: 'http://purl.imsglobal.org/ctx/caliper/v1p2', data: [
      event('Viewed', 'ViewEvent', 'Page', '2025-02-04T09:00:00Z'),
      event('NavigatedTo', 'NavigationEvent', 'WebPage', '2025-02-04T09:01:00Z'),
      event('Submitted', 'AssessmentEvent', 'Assessment', '2025-02-04T09:10:00Z'),
      event('Posted', 'MessageEvent', 'Message', '2025-02-04T09:20:00Z'),
      event('Paused', 'MediaEvent', 'VideoObject', '2025-02-04T09:30:00Z', { target: { id: 'x', type: 'MediaLocation', currentTime: 'PT30S' } }),
      event('Frobbed', 'FrobEvent', 'Thing', '2025-02-04T09:40:00Z'),
      { type: 'ViewEvent', action: 'Viewed', eventTime: 'not a time', actor: { id: 'urn:instructure:canvas:user:1' } },
    ] };
    const file = path.join(dir, 'caliper.json');
    fs.writeFileSync(file, JSON.stringify([envelope]));
    const result = await importFiles({ format: 'caliper', paths: [file], platform: 'canvas' });
    expect(result).toMatchObject({ read: 7, accepted: 6, rejected: 1, rejectedByReason: { bad_time: 1 }, byCategory: { access: 1, navigate: 1, problem: 1, forum: 1, video: 1, other: 1 } });
    const courseId = await courseIdOf('77');
    const rows = [];
    for await (const a of readCourseActivity(courseId, { includePending: true })) rows.push(a);
    expect(rows).toEqual([{ learnerId: '?canvas_user_id:42', days: [expect.objectContaining({ day: 20123, counts: { access: 1, navigate: 1, problem: 1, forum: 1, video: 1, other: 1 }, problemsAttempted: 1, sessions: 1 })] }]);
  });

  it('imports KDD daily data and reproduces every non-zero row exactly, with dropout labels', async () => {
    const file = path.join(KDD, 'course_645.csv');
    const result = await importFiles({ format: 'kdd-daily', paths: [file, path.join(KDD, 'labels.csv')] });
    const rows = fs.readFileSync(file, 'utf8').trim().split('\n').slice(1).map((l) => l.split(','));
    expect(result.read).toBe(rows.length);
    expect(result.rejected).toBe(0);
    const nonZero = rows.filter((r) => r.slice(2).some((n) => n !== '0'));
    expect(result.days).toBe(nonZero.length);
    const courseId = await courseIdOf('kdd-645');
    const byEnrollment = new Map<string, string>();
    for (const l of await Learner.find({ courseId }).lean()) byEnrollment.set(String(l._id), l.ids!.enrollmentId!);
    const stored = new Map<string, Record<string, number>>();
    for await (const { learnerId, days } of readCourseActivity(courseId)) {
      for (const d of days) stored.set(`${byEnrollment.get(learnerId)}:${new Date(d.day * 86_400_000).toISOString().slice(0, 10)}`, d.counts as Record<string, number>);
    }
    expect(stored.size).toBe(nonZero.length);
    const names = ['access', 'forum', 'navigate', 'page_close', 'problem', 'video', 'wiki'];
    for (const r of nonZero) {
      const expected = Object.fromEntries(names.map((n, i) => [n, Number(r[2 + i])]).filter(([, v]) => v !== 0));
      expect(stored.get(`${r[0]}:${r[1]}`)).toEqual(expected);
    }
    const labels = await readOutcomes(courseId, 'dropout');
    expect(labels.size).toBe(new Set(rows.map((r) => r[0])).size);
  });

  it('imports the KDD raw log with its enrollment and truth files', async () => {
    const kdir = path.join(dir, 'kdd');
    fs.mkdirSync(kdir);
    fs.writeFileSync(path.join(kdir, 'enrollment_train.csv'), 'enrollment_id,username,course_id\n1,alice,C1\n2,bob,C1\n3,carol,C2\n');
    fs.writeFileSync(path.join(kdir, 'log_train.csv'), [
      'enrollment_id,time,source,event,object',
      '1,2014-06-14T09:38:29,server,access,o1', '1,2014-06-14T09:40:00,browser,video,v1', '1,2014-06-15T10:00:00,server,problem,p1',
      '2,2014-06-14T11:00:00,server,discussion,d1', '2,2014-06-14T11:05:00,browser,page_close,x', '3,2014-06-20T08:00:00,server,wiki,w1',
      '9,2014-06-14T11:00:00,server,access,o1', '1,not-a-time,server,access,o1', '1,2014-06-14T11:00:00,server,teleport,o1',
    ].join('\n'));
    fs.writeFileSync(path.join(kdir, 'truth_train.csv'), '1,0\n2,1\n3,1\n');
    const result = await importFiles({ format: 'kdd', paths: [kdir] });
    expect(result).toMatchObject({ read: 9, accepted: 6, rejected: 3, rejectedByReason: { missing_course: 1, bad_time: 1, bad_row: 1 }, byCategory: { access: 1, video: 1, problem: 1, forum: 1, page_close: 1, wiki: 1 }, learners: 3, days: 4 });
    const c1 = await courseIdOf('C1');
    const labels = await readOutcomes(c1, 'dropout');
    expect([...labels.values()].sort()).toEqual([0, 1]);
  });
});
