import path from 'node:path';
import { importFiles } from '../../src/ingest/fileImport';
import { ActivityWeek } from '../../src/storage/models/ActivityWeek';
import { ImportRun } from '../../src/storage/models/ImportRun';
import { useTestDb } from '../support';
import { activityByUsernameDay, courseIdOf, generate, readJsonLines, readTruthDaily, tempDir } from './helpers';

describe('tracking-log import against the generator ground truth', () => {
  useTestDb();
  const dir = tempDir('tl');
  let courseKey = '';

  beforeAll(async () => {
    courseKey = (await generate(dir, { learners: 40, weeks: 3, seed: 11 })).courseId;
  });

  it('imports the roster, then the log, and reproduces truth_daily exactly', async () => {
    const roster = await importFiles({ format: 'roster', paths: [path.join(dir, 'roster.jsonl')], course: courseKey });
    expect(roster.rejected).toBe(0);
    const result = await importFiles({ format: 'tracking-log', paths: [path.join(dir, 'tracking.log.gz')] });
    const lines = readJsonLines<{ username: string }>(path.join(dir, 'tracking.log.gz'));
    const anonymous = lines.filter((l) => !l.username).length;
    expect(result.read).toBe(lines.length);
    expect(result.rejected).toBe(anonymous);
    expect(result.rejectedByReason).toEqual(anonymous ? { anonymous_user: anonymous } : {});
    expect(result.accepted).toBe(lines.length - anonymous);

    const truth = readTruthDaily(dir);
    const actual = await activityByUsernameDay(await courseIdOf(courseKey));
    expect(actual.size).toBe(truth.length);
    expect(result.days).toBe(truth.length);
    for (const row of truth) {
      const got = actual.get(`${row.username}:${row.day}`);
      expect(got).toBeDefined();
      expect({ day: row.day, counts: got!.counts, attempted: got!.problemsAttempted, correct: got!.problemsCorrect, sessions: got!.sessions }).toEqual({
        day: row.day, counts: row.counts, attempted: row.problemsAttempted, correct: row.problemsCorrect, sessions: row.sessions,
      });
      expect(got!.videoSeconds).toBeCloseTo(row.videoSeconds, 2);
    }
    const byCategory: Record<string, number> = {};
    for (const row of truth) for (const [c, n] of Object.entries(row.counts)) byCategory[c] = (byCategory[c] ?? 0) + n;
    expect(result.byCategory).toEqual(byCategory);
  });

  it('does not double count when the same file is imported again, and records both runs', async () => {
    const courseId = await courseIdOf(courseKey);
    const before = await ActivityWeek.countDocuments({ c: courseId });
    const first = await activityByUsernameDay(courseId);
    const again = await importFiles({ format: 'tracking-log', paths: [path.join(dir, 'tracking.log.gz')] });
    expect(again.replayedFiles).toHaveLength(1);
    expect(again.written).toBe(0);
    expect(await ActivityWeek.countDocuments({ c: courseId })).toBe(before);
    expect(await activityByUsernameDay(courseId)).toEqual(first);
    const runs = await ImportRun.find({ format: 'tracking-log' }).sort({ startedAt: 1 }).lean();
    expect(runs.map((r) => [r.status, r.accepted])).toEqual([['completed', again.accepted], ['completed', again.accepted]]);
  });

  it('resumes a crashed import without double counting (contributions already stored are skipped)', async () => {
    const courseId = await courseIdOf(courseKey);
    const first = await activityByUsernameDay(courseId);
    await ImportRun.updateMany({ format: 'tracking-log' }, { $set: { status: 'failed' } });
    const resumed = await importFiles({ format: 'tracking-log', paths: [path.join(dir, 'tracking.log.gz')] });
    expect(resumed.replayedFiles).toHaveLength(0);
    expect(resumed.written).toBe(0);
    expect(resumed.duplicates).toBeGreaterThan(0);
    expect(await activityByUsernameDay(courseId)).toEqual(first);
  });
});
