import fs from 'node:fs';
import path from 'node:path';
import { compactCourseActivity } from '../../src/ingest/activityCompactor';
import { importFiles } from '../../src/ingest/fileImport';
import { ActivityWeek } from '../../src/storage/models/ActivityWeek';
import { Learner } from '../../src/storage/models/Learner';
import { useTestDb } from '../support';
import { activityByUsernameDay, courseIdOf, tempDir } from './helpers';

const COURSE = 'course-v1:Keepup+Pending+2026';

/** A tracking-log line: a page view by username, or (username blank) by user id only. */
function line(time: string, who: { username?: string; userId?: number }): string {
  return JSON.stringify({
    username: who.username ?? '',
    event_type: 'edx.ui.lms.link_clicked',
    event_source: 'browser',
    time,
    context: { course_id: COURSE, user_id: who.userId ?? null, org_id: 'Keepup' },
    event: {},
  });
}

describe('pending activity resolution', () => {
  useTestDb();
  const dir = tempDir('pending');

  it('keeps activity stored under a pending id in the same import window as the learner\'s own, also after compaction', async () => {
    fs.writeFileSync(path.join(dir, 'roster.jsonl'), `${JSON.stringify({ course_id: COURSE, username: 'bob' })}\n`);
    await importFiles({ format: 'roster', paths: [path.join(dir, 'roster.jsonl')] });
    const log = path.join(dir, 'mixed.log');
    fs.writeFileSync(log, [
      line('2026-03-02T10:00:00Z', { username: 'bob', userId: 42 }),
      line('2026-03-02T10:05:00Z', { username: 'bob', userId: 42 }),
      line('2026-03-02T11:00:00Z', { userId: 42 }),
      line('2026-03-02T11:01:00Z', { userId: 42 }),
      line('2026-03-02T11:02:00Z', { userId: 42 }),
    ].join('\n'));
    const result = await importFiles({ format: 'tracking-log', paths: [log] });
    expect(result.accepted).toBe(5);
    const courseId = await courseIdOf(COURSE);
    expect(await ActivityWeek.countDocuments({ c: courseId, p: true })).toBe(1);

    fs.writeFileSync(path.join(dir, 'roster2.jsonl'), `${JSON.stringify({ course_id: COURSE, username: 'bob', user_id: 42 })}\n`);
    await importFiles({ format: 'roster', paths: [path.join(dir, 'roster2.jsonl')] });
    expect(await ActivityWeek.countDocuments({ c: courseId, p: true })).toBe(0);
    const day = Math.floor(Date.parse('2026-03-02T00:00:00Z') / 86_400_000);
    const total = (counts: Record<string, number> | undefined) => Object.values(counts ?? {}).reduce((a, n) => a + n, 0);
    expect(total((await activityByUsernameDay(courseId)).get(`bob:${day}`)?.counts)).toBe(5);
    expect(await Learner.countDocuments({ courseId })).toBe(1);

    await compactCourseActivity(courseId);
    expect(await ActivityWeek.countDocuments({ c: courseId })).toBe(1);
    expect(total((await activityByUsernameDay(courseId)).get(`bob:${day}`)?.counts)).toBe(5);
  });
});
