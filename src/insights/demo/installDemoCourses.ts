import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { generateCourse } from '../../generator';
import { DESIGN_PRESETS } from '../../generator/designPresets';
import { readCourseActivity } from '../../ingest/activityReader';
import { importFiles } from '../../ingest/fileImport';
import { storeOutcomes } from '../../ingest/outcomes';
import { Course } from '../../storage/models/Course';
import { Learner } from '../../storage/models/Learner';
import { computeCourseInsights, ComputeInsightsSummary } from '../computeCourseInsights';
import { outlineFromOpenEdxBlocks } from '../design/courseOutline';
import { saveCourseDesign } from '../design/saveCourseDesign';
import { GeneratedCourseJson, generatedCourseBlocks } from './generatedCourseBlocks';

/** Options of `installInsightsDemo`. */
export interface InsightsDemoOptions {
  /** Folder the generated files go to. */
  dir: string;
  /** Finished courses with known completion (the course-design model's rows). Default 10. */
  finishedCourses?: number;
  /** Learners per finished course. Default 250. */
  learners?: number;
  /** Learners in the in-progress course the demo opens. Default 600. */
  currentLearners?: number;
  /** Seed prefix. Default `insights-demo`. */
  seed?: string;
}

/** One installed course and its insights summary. */
export interface InstalledDemoCourse {
  courseId: string;
  externalId: string;
  title: string;
  inProgress: boolean;
  summary: ComputeInsightsSummary;
}

const DAY_MS = 86_400_000;

/**
 * Installs generated courses so every insights view is populated: one in-progress course (the one to
 * open), a finished earlier run of it (engagement against outcome), and finished courses with varied
 * designs (the course-design model). Everything goes through the real paths: the generator's files,
 * ingest's roster and tracking-log imports, the structure as an Open edX course blocks response,
 * completion/dropout outcomes through ingest's outcome store (from the generator's ground truth, as
 * grades would arrive), then the insights computation. Needs mongoose connected. Idempotent.
 */
export async function installInsightsDemo(options: InsightsDemoOptions): Promise<InstalledDemoCourse[]> {
  const finished = options.finishedCourses ?? 10;
  const seed = options.seed ?? 'insights-demo';
  const plans = [
    { key: 'course-v1:KeepupX+DS101+2025_T1', title: 'Data Science Foundations (current run)', weeks: 8, learners: options.currentLearners ?? 600, inProgress: true, preset: 'balanced' },
    { key: 'course-v1:KeepupX+DS101+2024_T1', title: 'Data Science Foundations (2024 run)', weeks: 8, learners: options.learners ?? 250, inProgress: false, preset: 'balanced' },
    ...Array.from({ length: Math.max(0, finished - 1) }, (_, i) => ({
      key: `course-v1:KeepupX+D${200 + i}+2024_T2`,
      title: '',
      weeks: 4 + ((i * 3) % 9),
      learners: options.learners ?? 250,
      inProgress: false,
      preset: DESIGN_PRESETS[i % DESIGN_PRESETS.length],
    })),
  ];
  const installed: Array<{ courseId: string; externalId: string; title: string; inProgress: boolean; asOf: Date }> = [];
  for (const [i, plan] of plans.entries()) {
    const out = path.join(options.dir, `course-${i}`);
    const start = plan.inProgress ? '2025-02-03' : i === 1 ? '2024-02-05' : '2024-09-02';
    const asOf = plan.inProgress ? new Date(Date.parse(`${start}T00:00:00Z`) + 5 * 7 * DAY_MS).toISOString().slice(0, 10) : undefined;
    await generateCourse({ platform: 'openedx', learners: plan.learners, weeks: plan.weeks, seed: `${seed}-${i}`, out, courseId: plan.key, start, asOf, design: plan.preset as (typeof DESIGN_PRESETS)[number], xapi: false, ...(plan.title ? { title: plan.title } : {}) });
    const course = JSON.parse(await readFile(path.join(out, 'course.json'), 'utf8')) as GeneratedCourseJson;
    await importFiles({ format: 'roster', paths: [path.join(out, 'roster.jsonl')], course: plan.key });
    await importFiles({ format: 'tracking-log', paths: [path.join(out, 'tracking.log.gz')], course: plan.key });
    const courseId = await describeGeneratedCourse(plan.key, course);
    if (!plan.inProgress) await storeTruthOutcomes(courseId, path.join(out, 'truth.jsonl'));
    installed.push({ courseId, externalId: plan.key, title: course.title, inProgress: plan.inProgress, asOf: asOf ? new Date(`${asOf}T00:00:00Z`) : new Date(course.end) });
  }
  const results: InstalledDemoCourse[] = [];
  // Finished courses first: computing a course records its completion, which the design model of the next ones reads.
  for (const c of [...installed.filter((x) => !x.inProgress), ...installed.filter((x) => x.inProgress)]) {
    const summary = await computeCourseInsights(c.courseId, { readActivity: (id, range) => readCourseActivity(id, range), asOf: new Date(c.asOf.getTime() - DAY_MS) });
    results.push({ courseId: c.courseId, externalId: c.externalId, title: c.title, inProgress: c.inProgress, summary });
  }
  return results;
}

/**
 * Gives a generated Open edX course what its platform would tell Keepup: title, time zone, start and
 * end dates, and its structure (course blocks, hence its design). Returns the course id.
 */
export async function describeGeneratedCourse(externalId: string, course: GeneratedCourseJson): Promise<string> {
  const doc = await Course.findOneAndUpdate(
    { externalId },
    { $set: { title: course.title, timeZone: course.timeZone, startDate: new Date(course.start), endDate: new Date(course.end) }, $setOnInsert: { tenant: 'local', platform: 'openedx' } },
    { upsert: true, returnDocument: 'after' },
  ).lean();
  const courseId = String(doc!._id);
  await saveCourseDesign(courseId, outlineFromOpenEdxBlocks(generatedCourseBlocks(course)), { title: course.title, weeks: course.weeks, certificateOffered: course.design.certificateOffered });
  return courseId;
}

/** Stores completion and dropout of every learner from the generator's truth.jsonl (as grades and activity would give them). */
async function storeTruthOutcomes(courseId: string, truthFile: string): Promise<void> {
  const learners = await Learner.find({ courseId }).select({ 'ids.username': 1 }).lean();
  const byUsername = new Map(learners.map((l) => [l.ids?.username, String(l._id)]));
  const completion: Array<{ ref: string; value: number }> = [];
  const dropout: Array<{ ref: string; value: number }> = [];
  for (const line of (await readFile(truthFile, 'utf8')).split('\n')) {
    if (!line.trim()) continue;
    const truth = JSON.parse(line) as { username: string; completion: boolean; dropout: boolean };
    const ref = byUsername.get(truth.username);
    if (!ref) continue;
    completion.push({ ref, value: truth.completion ? 1 : 0 });
    dropout.push({ ref, value: truth.dropout ? 1 : 0 });
  }
  await storeOutcomes(courseId, 'completion', 'generator-truth', completion);
  await storeOutcomes(courseId, 'dropout', 'generator-truth', dropout);
}
