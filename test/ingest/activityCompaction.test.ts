import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { CompactActivityTask } from '../../jobs/tasks/CompactActivityTask';
import { compactCourseActivity, planWeekCompaction, removeMerged, writeMerged, type StoredWeekDoc, type WeekCompaction } from '../../src/ingest/activityCompactor';
import { importFiles } from '../../src/ingest/fileImport';
import { ActivityWeek } from '../../src/storage/models/ActivityWeek';
import { useTestDb } from '../support';
import { activityByUsernameDay, courseIdOf, generate, readTruthDaily, tempDir } from './helpers';

/** Splits a generated tracking log round-robin into `n` plain files, so most learner-weeks get a contribution from each. */
function splitLog(dir: string, n: number): string[] {
  const lines = zlib.gunzipSync(fs.readFileSync(path.join(dir, 'tracking.log.gz'))).toString('utf8').split('\n').filter(Boolean);
  return Array.from({ length: n }, (_, part) => {
    const file = path.join(dir, `part-${part}.log`);
    fs.writeFileSync(file, `${lines.filter((_, i) => i % n === part).join('\n')}\n`);
    return file;
  });
}

/** Documents per learner-week of a course (resolved learners). */
async function docsPerWeek(courseId: string): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (const d of await ActivityWeek.find({ c: courseId, p: false }, { l: 1, w: 1 }).lean()) out.set(`${d.l}|${d.w}`, (out.get(`${d.l}|${d.w}`) ?? 0) + 1);
  return out;
}

/** Every learner-week of a course with more than one document, planned (what a compaction run would do). */
async function planAll(courseId: string): Promise<WeekCompaction[]> {
  const docs = (await ActivityWeek.collection.find({ c: courseId, p: false }).sort({ _id: 1 }).toArray()) as unknown as StoredWeekDoc[];
  const byWeek = new Map<string, StoredWeekDoc[]>();
  for (const d of docs) byWeek.set(`${d.l}|${d.w}`, [...(byWeek.get(`${d.l}|${d.w}`) ?? []), d]);
  return [...byWeek.values()].flatMap((week) => planWeekCompaction(week) ?? []);
}

async function importCourse(dir: string, courseKey: string, parts: string[]): Promise<string> {
  await importFiles({ format: 'roster', paths: [path.join(dir, 'roster.jsonl')], course: courseKey });
  for (const part of parts) await importFiles({ format: 'tracking-log', paths: [part] });
  return courseIdOf(courseKey);
}

describe('activity compaction', () => {
  useTestDb();
  const root = tempDir('compact');
  const dirFor = (name: string) => {
    const dir = path.join(root, name);
    fs.mkdirSync(dir);
    return dir;
  };

  it('folds a course imported in three batches into one document per learner-week with identical counts, and reruns as a no-op', async () => {
    const dir = dirFor('compact');
    const courseKey = (await generate(dir, { learners: 20, weeks: 3, seed: 31 })).courseId;
    const courseId = await importCourse(dir, courseKey, splitLog(dir, 3));
    const before = await activityByUsernameDay(courseId);
    const perWeek = await docsPerWeek(courseId);
    expect(Math.max(...perWeek.values())).toBe(3);
    const total = await ActivityWeek.countDocuments({ c: courseId });
    const multi = [...perWeek.values()].filter((n) => n > 1);

    const result = await new CompactActivityTask().perform({ courseId });
    expect(result).toEqual({ weeks: multi.length, merged: multi.length, removed: multi.reduce((a, n) => a + n, 0) });
    expect(await activityByUsernameDay(courseId)).toEqual(before);
    const after = await docsPerWeek(courseId);
    expect(after.size).toBe(perWeek.size);
    expect([...after.values()].every((n) => n === 1)).toBe(true);
    expect(await ActivityWeek.countDocuments({ c: courseId })).toBe(total - result.removed + result.merged);

    expect(await compactCourseActivity(courseId)).toEqual({ weeks: 0, merged: 0, removed: 0 });
    expect(await activityByUsernameDay(courseId)).toEqual(before);
  });

  it('does not count a contribution delivered again after compaction, and the next compaction drops it', async () => {
    const dir = dirFor('compact-redeliver');
    const courseKey = (await generate(dir, { learners: 8, weeks: 2, seed: 32 })).courseId;
    const courseId = await importCourse(dir, courseKey, splitLog(dir, 2));
    const before = await activityByUsernameDay(courseId);
    const [week] = [...(await docsPerWeek(courseId))].find(([, n]) => n > 1)!;
    const [l, w] = week.split('|');
    const original = await ActivityWeek.collection.findOne({ c: courseId, l, w: Number(w) });
    await compactCourseActivity(courseId);
    expect(await ActivityWeek.collection.countDocuments({ _id: original!._id })).toBe(0);

    await ActivityWeek.collection.insertOne(original!);
    expect(await activityByUsernameDay(courseId)).toEqual(before);
    expect(await compactCourseActivity(courseId)).toEqual({ weeks: 1, merged: 0, removed: 1 });
    expect(await activityByUsernameDay(courseId)).toEqual(before);
  });

  it('killed between writing merged documents and deleting the folded ones, then rerun, gives the same counts, which match the ground truth', async () => {
    const dir = dirFor('compact-crash');
    const courseKey = (await generate(dir, { learners: 20, weeks: 3, seed: 33 })).courseId;
    const [a, b, c] = splitLog(dir, 3);
    const courseId = await importCourse(dir, courseKey, [a, b]);
    await compactCourseActivity(courseId);
    await importFiles({ format: 'tracking-log', paths: [c] });
    const before = await activityByUsernameDay(courseId);
    for (const row of readTruthDaily(dir)) expect(before.get(`${row.username}:${row.day}`)?.counts).toEqual(row.counts);

    const plans = await planAll(courseId);
    expect(plans.length).toBeGreaterThan(10);
    expect(await writeMerged(plans.slice(0, Math.floor(plans.length * 0.7)))).toBeGreaterThan(0);
    await removeMerged(plans.slice(0, Math.floor(plans.length / 3)));
    expect(await activityByUsernameDay(courseId)).toEqual(before);

    const rerun = await compactCourseActivity(courseId);
    expect(rerun.weeks).toBe(plans.length - Math.floor(plans.length / 3));
    expect(await activityByUsernameDay(courseId)).toEqual(before);
    expect([...(await docsPerWeek(courseId)).values()].every((n) => n === 1)).toBe(true);
  });
});
