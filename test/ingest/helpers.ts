import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { generateCourse } from '../../src/generator';
import type { DailyTruthRow } from '../../src/generator';
import { readCourseActivity } from '../../src/ingest/activityReader';
import type { DailyActivity } from '../../src/domain/activity';
import { Course } from '../../src/storage/models/Course';
import { Learner } from '../../src/storage/models/Learner';

/** A fresh temporary folder removed after the test file. */
export function tempDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `keepup-${prefix}-`));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Generates a small synthetic course into `dir` (see docs/generator.md). */
export async function generate(dir: string, options: { platform?: 'openedx' | 'canvas'; learners?: number; weeks?: number; seed?: number } = {}) {
  await generateCourse({ platform: options.platform ?? 'openedx', learners: options.learners ?? 40, weeks: options.weeks ?? 3, seed: options.seed ?? 7, out: dir });
  const course = JSON.parse(fs.readFileSync(path.join(dir, 'course.json'), 'utf8')) as { courseId: string; canvas: { courseId: number } };
  return course;
}

/** Rows of a JSON-lines file, gzip or plain. */
export function readJsonLines<T>(file: string): T[] {
  const buf = fs.readFileSync(file);
  const text = buf[0] === 0x1f && buf[1] === 0x8b ? zlib.gunzipSync(buf).toString('utf8') : buf.toString('utf8');
  return text.split('\n').filter(Boolean).map((l) => JSON.parse(l) as T);
}

export function readTruthDaily(dir: string): DailyTruthRow[] {
  return readJsonLines<DailyTruthRow>(path.join(dir, 'truth_daily.jsonl.gz'));
}

/** The course `_id` of a platform course id. */
export async function courseIdOf(externalId: string): Promise<string> {
  const course = await Course.findOne({ externalId }).lean();
  if (!course) throw new Error(`no course ${externalId}`);
  return String(course._id);
}

/** Every learner's activity keyed by `username:day` (or `<learner ref>:day` when the learner has no username). */
export async function activityByUsernameDay(courseId: string, includePending = false): Promise<Map<string, DailyActivity>> {
  const names = new Map<string, string>();
  for (const l of await Learner.find({ courseId }).lean()) names.set(String(l._id), l.ids?.username ?? l.ids?.canvasUserId ?? String(l._id));
  const out = new Map<string, DailyActivity>();
  for await (const { learnerId, days } of readCourseActivity(courseId, { includePending })) {
    const name = names.get(learnerId) ?? learnerId.replace(/^\?[a-z_]+:/, '');
    for (const day of days) out.set(`${name}:${day.day}`, day);
  }
  return out;
}
