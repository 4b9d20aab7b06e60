import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import zlib from 'node:zlib';
import { dailyActivity, dayNumber, type DailyActivity } from '../domain/activity';
import type { DailyTruthRow } from '../generator/DailyTruth';
import type { LearnerTruth } from '../generator/outcomes';
import type { CourseInput } from '../models/ModelData';
import type { Outcome } from '../models/Predictor';
import { learnerWindow, LOOKBACK_DAYS } from './scoringSpec';

/** One learner of a generated course: identity, enrolment day, daily activity and ground truth. */
export interface GeneratedLearnerData {
  username: string;
  enrolledDay: number;
  days: DailyActivity[];
  truth: LearnerTruth;
}

/** A generated course read back from the generator's output folder (docs/generator.md). */
export interface GeneratedCourseData {
  courseId: string;
  startDay: number;
  endDay: number;
  weeks: number;
  learners: GeneratedLearnerData[];
}

async function* jsonLines<T>(file: string): AsyncGenerator<T> {
  const input = file.endsWith('.gz') ? fs.createReadStream(file).pipe(zlib.createGunzip()) : fs.createReadStream(file);
  for await (const line of readline.createInterface({ input, crlfDelay: Infinity })) if (line.trim()) yield JSON.parse(line) as T;
}

/** Reads course.json, roster.jsonl, truth.jsonl and truth_daily.jsonl.gz of a generated course. */
export async function loadGeneratedCourse(dir: string): Promise<GeneratedCourseData> {
  const course = JSON.parse(fs.readFileSync(path.join(dir, 'course.json'), 'utf8')) as { courseId: string; start: string; end: string; weeks: number };
  const byName = new Map<string, GeneratedLearnerData>();
  for await (const r of jsonLines<{ username: string; enrolledAt: string }>(path.join(dir, 'roster.jsonl'))) {
    byName.set(r.username, { username: r.username, enrolledDay: dayNumber(new Date(r.enrolledAt)), days: [], truth: undefined as unknown as LearnerTruth });
  }
  for await (const t of jsonLines<LearnerTruth>(path.join(dir, 'truth.jsonl'))) {
    const learner = byName.get(t.username);
    if (learner) learner.truth = t;
  }
  for await (const row of jsonLines<DailyTruthRow>(path.join(dir, 'truth_daily.jsonl.gz'))) {
    byName.get(row.username)?.days.push(
      dailyActivity(row.day, { counts: row.counts, videoSeconds: row.videoSeconds, problemsAttempted: row.problemsAttempted, problemsCorrect: row.problemsCorrect, sessions: row.sessions }),
    );
  }
  return {
    courseId: course.courseId,
    startDay: dayNumber(new Date(course.start)),
    endDay: dayNumber(new Date(course.end)),
    weeks: course.weeks,
    learners: [...byName.values()].filter((l) => l.truth),
  };
}

/** The label of an outcome in the generator's ground truth (certificate: passed, and a certificate where offered). */
export function truthLabel(truth: LearnerTruth, outcome: Outcome): number {
  if (outcome === 'dropout') return truth.dropout ? 1 : 0;
  if (outcome === 'completion') return truth.completion ? 1 : 0;
  return truth.passed || truth.certificate ? 1 : 0;
}

/**
 * A training snapshot of a generated course as the nightly run would see it on `asOfDay`: the learners
 * enrolled by then, each over the same window the run uses (late enrolees from enrolment), labelled with
 * the outcome the course ended with. `courseId` is the course's, so snapshots of one course share a fold.
 */
export function snapshotInput(course: GeneratedCourseData, asOfDay: number, outcome: Outcome): CourseInput {
  return {
    courseId: course.courseId,
    window: { start: Math.max(course.startDay, asOfDay - LOOKBACK_DAYS + 1), end: asOfDay },
    learners: course.learners
      .filter((l) => l.enrolledDay <= asOfDay)
      .map((l) => ({ days: l.days.filter((d) => d.day <= asOfDay), window: learnerWindow(asOfDay, { courseStartDay: course.startDay, enrolledDay: l.enrolledDay }), label: truthLabel(l.truth, outcome) })),
  };
}
