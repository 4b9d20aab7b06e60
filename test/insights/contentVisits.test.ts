import fs from 'node:fs';
import path from 'node:path';
import { readCourseActivity } from '../../src/ingest/activityReader';
import { importFiles } from '../../src/ingest/fileImport';
import { computeCourseInsights } from '../../src/insights/computeCourseInsights';
import { mostAndLeastVisited } from '../../src/insights/contentVisits';
import { insightCsv, type StoredInsight } from '../../src/insights/insightsCsv';
import { ContentVisitWeek } from '../../src/storage/models/ContentVisitWeek';
import { Course } from '../../src/storage/models/Course';
import { CourseBlock, storeCourseBlocks } from '../../src/storage/models/CourseBlock';
import { CourseInsight } from '../../src/storage/models/CourseInsight';
import { ImportRun } from '../../src/storage/models/ImportRun';
import { useTestDb } from '../support';
import { courseIdOf, tempDir } from '../ingest/helpers';

const COURSE = 'course-v1:Org+C1+2025';
const block = (type: string, id: string) => `block-v1:Org+C1+2025+type@${type}+block@${id}`;
const P = (id: string) => block('problem', id);
const S1 = block('sequential', 's1');

/** One tracking-log line. Week 1 = ISO week starting Monday 2025-02-03; week 2 starts 2025-02-10. */
function line(username: string, time: string, eventType: string, event: unknown, source = 'server'): string {
  return JSON.stringify({ username, event_type: eventType, event_source: source, time, context: { course_id: COURSE }, event });
}
const video = (u: string, time: string, action: string) => line(u, time, action, JSON.stringify({ id: 'v1code', currentTime: 0 }), 'browser');
const check = (u: string, time: string, problem: string) => line(u, time, 'problem_check', { problem_id: problem, success: 'correct', attempts: 1 });

// Learner a watches v1 in both files: merged, a counts once for v1 in week 1.
const FILE_1 = [
  video('a', '2025-02-03T10:00:00Z', 'play_video'),
  video('b', '2025-02-03T11:00:00Z', 'play_video'),
  check('a', '2025-02-03T10:05:00Z', P('p1')),
  check('a', '2025-02-03T10:06:00Z', P('p1')),
  check('b', '2025-02-03T11:05:00Z', P('p1')),
  check('a', '2025-02-03T10:07:00Z', P('p2')),
  check('b', '2025-02-04T09:00:00Z', P('p2')),
  check('b', '2025-02-04T09:10:00Z', P('p3')),
  // Not visits: an enrolment, and an unknown event with an id.
  line('c', '2025-02-03T08:00:00Z', 'edx.course.enrollment.activated', { course_id: COURSE, user_id: 3 }),
  line('c', '2025-02-03T08:01:00Z', 'some.custom.event', { id: 'x-object' }),
];
const FILE_2 = [
  video('a', '2025-02-03T10:30:00Z', 'pause_video'),
  video('c', '2025-02-05T12:00:00Z', 'play_video'),
  check('a', '2025-02-05T13:00:00Z', P('p4')),
  check('a', '2025-02-05T13:01:00Z', P('p4')),
  check('c', '2025-02-05T12:10:00Z', P('p5')),
  line('c', '2025-02-05T12:20:00Z', 'edx.ui.lms.sequence.next_selected', { id: S1 }),
  video('a', '2025-02-11T10:00:00Z', 'play_video'),
];

const ISO_WEEK_1 = Math.floor((Date.UTC(2025, 1, 3) / 86_400_000 + 3) / 7);
const entry = (objectId: string, label: string, learners: number, events: number) => ({ objectId, label, learners, events });
const EXPECTED = [
  {
    isoWeek: ISO_WEEK_1,
    start: '2025-02-03',
    visited: 7,
    most: [entry('v1code', 'Intro video', 3, 4), entry(P('p1'), 'Quiz 1', 2, 3), entry(P('p2'), P('p2'), 2, 2), entry(P('p4'), P('p4'), 1, 2), entry(P('p3'), P('p3'), 1, 1)],
    least: [entry(P('p5'), P('p5'), 1, 1), entry(S1, 'Week 1 lessons', 1, 1)],
  },
  { isoWeek: ISO_WEEK_1 + 1, start: '2025-02-10', visited: 1, most: [entry('v1code', 'Intro video', 1, 1)], least: [] },
];

describe('most and least visited content per week', () => {
  useTestDb();
  const dir = tempDir('content');
  const files = [path.join(dir, 'one.log'), path.join(dir, 'two.log')];
  let courseId = '';

  beforeAll(async () => {
    fs.writeFileSync(files[0], FILE_1.join('\n') + '\n');
    fs.writeFileSync(files[1], FILE_2.join('\n') + '\n');
    const result = await importFiles({ format: 'tracking-log', paths: files });
    expect(result.rejected).toBe(0);
    courseId = await courseIdOf(COURSE);
    const labelled = (type: string, id: string, name: string) => ({ id: block(type, id), type, name, due: null, graded: false, format: null, parent: null });
    await storeCourseBlocks(courseId, [labelled('video', 'v1code', 'Intro video'), labelled('problem', 'p1', 'Quiz 1'), labelled('sequential', 's1', 'Week 1 lessons')]);
  });

  it('ranks content by distinct learners across files, labelled from the course blocks', async () => {
    expect(await mostAndLeastVisited(courseId, ISO_WEEK_1 - 1, ISO_WEEK_1 + 2)).toEqual(EXPECTED);
    expect(await mostAndLeastVisited(courseId, ISO_WEEK_1 + 1, ISO_WEEK_1 + 1)).toEqual([EXPECTED[1]]);
  });

  it('counts nothing twice when the files are imported again, replayed or resumed after a crash', async () => {
    const stored = await ContentVisitWeek.countDocuments({ c: courseId });
    // Week 1: file one has 4 objects (v1, p1, p2, p3), file two 4 (v1, p4, p5, s1); week 2: 1 (v1).
    expect(stored).toBe(9);
    const replay = await importFiles({ format: 'tracking-log', paths: files });
    expect(replay.replayedFiles).toHaveLength(2);
    await ImportRun.updateMany({ format: 'tracking-log' }, { $set: { status: 'failed' } });
    const resumed = await importFiles({ format: 'tracking-log', paths: files });
    expect(resumed.replayedFiles).toHaveLength(0);
    expect(resumed.written).toBe(0);
    expect(await ContentVisitWeek.countDocuments({ c: courseId })).toBe(stored);
    expect(await mostAndLeastVisited(courseId, ISO_WEEK_1 - 1, ISO_WEEK_1 + 2)).toEqual(EXPECTED);
  });

  it('stores the lists with the course insights and exports them as CSV', async () => {
    await Course.updateOne({ _id: courseId }, { $set: { startDate: new Date('2025-02-03T00:00:00Z'), endDate: new Date('2025-02-17T00:00:00Z') } });
    await computeCourseInsights(courseId, { readActivity: (id, range) => readCourseActivity(id, range), asOf: new Date('2025-02-16T12:00:00Z') });
    const insight = (await CourseInsight.findById(courseId).lean()) as unknown as StoredInsight;
    expect(insight.overview.content).toEqual(EXPECTED);
    expect(insightCsv('content-visits', insight).split('\r\n')).toEqual([
      'week_start,iso_week,list,rank,content_id,content,learners,events',
      `2025-02-03,${ISO_WEEK_1},most,1,v1code,Intro video,3,4`,
      `2025-02-03,${ISO_WEEK_1},most,2,${P('p1')},Quiz 1,2,3`,
      `2025-02-03,${ISO_WEEK_1},most,3,${P('p2')},${P('p2')},2,2`,
      `2025-02-03,${ISO_WEEK_1},most,4,${P('p4')},${P('p4')},1,2`,
      `2025-02-03,${ISO_WEEK_1},most,5,${P('p3')},${P('p3')},1,1`,
      `2025-02-03,${ISO_WEEK_1},least,1,${P('p5')},${P('p5')},1,1`,
      `2025-02-03,${ISO_WEEK_1},least,2,${S1},Week 1 lessons,1,1`,
      `2025-02-10,${ISO_WEEK_1 + 1},most,1,v1code,Intro video,1,1`,
      '',
    ]);
    expect(await CourseBlock.countDocuments({ c: courseId })).toBe(3);
  });

  it('starts the window of a course without dates at the week of its first activity, imported before the course was known', async () => {
    const asOf = new Date('2025-02-16T12:00:00Z');
    await computeCourseInsights(courseId, { readActivity: (id, range) => readCourseActivity(id, range), asOf });
    const dated = (await CourseInsight.findById(courseId).lean()) as unknown as StoredInsight;
    await Course.updateOne({ _id: courseId }, { $unset: { startDate: 1, endDate: 1 } });
    await computeCourseInsights(courseId, { readActivity: (id, range) => readCourseActivity(id, range), asOf });
    const undated = (await CourseInsight.findById(courseId).lean()) as unknown as StoredInsight;
    expect(undated.overview.weeks[0].start).toBe('2025-02-03');
    expect(undated.overview.weeklyActive.slice(0, 2)).toEqual(dated.overview.weeklyActive);
    expect(undated.overview.content).toEqual(EXPECTED);
  });
});
