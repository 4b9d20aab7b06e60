import crypto from 'node:crypto';
import { Types } from 'mongoose';
import { dayNumber } from '../domain/activity';
import { readCourseActivity } from '../ingest/activityReader';
import { readOutcomes } from '../ingest/outcomes';
import { auc } from '../models/metrics';
import { buildModelData, type CourseInput } from '../models/ModelData';
import type { ModelKind, Outcome } from '../models/Predictor';
import { trainInWorker, type TrainJob, type TrainResult } from '../models/trainWorker';
import { activeVersion, loadPredictor, registerModel, type RegistrationResult } from '../registry/modelRegistry';
import { Course } from '../storage/models/Course';
import { Learner } from '../storage/models/Learner';
import { NightlyRun } from '../storage/models/NightlyRun';
import { learnerWindow, LOOKBACK_DAYS, SCORING_SPEC } from './scoringSpec';

/** Days without activity after a snapshot that make a learner a dropout (the KDD Cup definition). */
export const DROPOUT_DAYS = 10;
/** Earlier runs used as training snapshots per course. */
const MAX_SNAPSHOTS = 4;
/** Learner-hash groups standing in for courses when a scope has one course (folds never split a learner). */
const LEARNER_GROUPS = 3;

export interface TrainFromRunsOptions {
  /** `course`: a model for this course; `platform`: one for every course of its platform. Default course. */
  scope?: 'course' | 'platform';
  outcomes?: Outcome[];
  kind?: ModelKind | 'auto';
  /** Trains the model (default: on a worker thread, so the caller's event loop stays free). */
  train?: (job: TrainJob) => Promise<TrainResult>;
  onProgress?: (message: string) => void;
}

/** What training did for one outcome. */
export interface OutcomeTraining {
  outcome: Outcome;
  rows: number;
  positives: number;
  candidateAuc?: number;
  incumbent?: { version: string; auc: number };
  registration?: RegistrationResult;
  skipped?: string;
}

/**
 * Trains per-course (or per-platform) models from earlier runs once outcomes are known: each earlier
 * completed run's date is a snapshot whose features are rebuilt exactly as that night's run built them,
 * labelled with the outcomes the sources reported since (certificate/passed, completion, dropout; dropout
 * falls back to "no activity in the 10 days after the snapshot" when that much time has passed). The
 * candidate's out-of-fold AUC is compared with the AUC of the model the course uses today on the same rows,
 * and the registry promotes it only if it does at least as well.
 */
export async function trainFromRuns(courseId: string, options: TrainFromRunsOptions = {}): Promise<OutcomeTraining[]> {
  const progress = options.onProgress ?? (() => undefined);
  const course = await Course.findById(courseId, { platform: 1 }).lean();
  if (!course) throw new Error(`course ${courseId} does not exist`);
  const scope = options.scope ?? 'course';
  const courseIds = scope === 'course' ? [courseId] : (await Course.find({ platform: course.platform }, { _id: 1 }).lean()).map((c) => String(c._id));
  const results: OutcomeTraining[] = [];
  for (const outcome of options.outcomes ?? (['dropout', 'completion', 'certificate'] as Outcome[])) {
    const inputs: CourseInput[] = [];
    for (const id of courseIds) inputs.push(...(await snapshotInputs(id, outcome, courseIds.length > 1)));
    const rows = inputs.reduce((s, c) => s + c.learners.length, 0);
    const positives = inputs.reduce((s, c) => s + c.learners.filter((l) => l.label === 1).length, 0);
    const result: OutcomeTraining = { outcome, rows, positives };
    results.push(result);
    if (rows === 0 || positives === 0 || positives === rows) {
      result.skipped = rows === 0 ? 'no labelled learners in earlier runs' : 'every known outcome is the same';
      progress(`${outcome}: skipped (${result.skipped})`);
      continue;
    }
    const data = buildModelData(inputs, SCORING_SPEC);
    const current = await activeVersion(outcome, { courseId, platform: course.platform });
    if (current) {
      const predictor = await loadPredictor(current._id);
      result.incumbent = { version: current._id, auc: auc(await predictor.predict(data), data.labels) };
    }
    progress(`${outcome}: training on ${rows} snapshot rows (${positives} positive) from ${courseIds.length} course(s)`);
    const trained = await (options.train ?? trainInWorker)({ courses: inputs, spec: SCORING_SPEC, options: { kind: options.kind ?? 'lr', outcome, folds: 3 } });
    const chosen = trained.report.candidates[trained.report.chosen]!;
    result.candidateAuc = chosen.auc;
    const snapshotDays = inputs.map((c) => c.window.end);
    result.registration = await registerModel({
      outcome,
      scope,
      key: scope === 'course' ? courseId : course.platform,
      buffer: trained.model,
      architecture: trained.report.chosen,
      members: trained.report.members,
      metrics: { auc: chosen.auc, ece: chosen.ece, brier: chosen.brier, rows },
      trainingWindow: { from: isoDay(Math.min(...snapshotDays)), to: isoDay(Math.max(...snapshotDays)), courses: courseIds, rows },
      incumbentAuc: result.incumbent?.auc,
    });
    progress(`${outcome}: ${result.registration.reason} (${result.registration.promoted ? 'promoted' : 'kept the active model'})`);
  }
  return results;
}

async function snapshotInputs(courseId: string, outcome: Outcome, byCourse: boolean): Promise<CourseInput[]> {
  const runs = await NightlyRun.find({ courseId, status: 'completed' }, { asOfDay: 1 }).sort({ runDate: 1 }).lean();
  if (runs.length === 0) return [];
  const latestDay = runs[runs.length - 1].asOfDay;
  const known = await knownLabels(courseId, outcome);
  const course = await Course.findById(courseId, { startDate: 1 }).lean();
  const startDay = course?.startDate ? dayNumber(course.startDate) : null;
  const enrolled = new Map<string, number | null>();
  for await (const l of Learner.collection.find({ courseId: new Types.ObjectId(courseId), status: { $ne: 'removed' } }, { projection: { enrolledAt: 1 } })) {
    enrolled.set(String(l._id), l.enrolledAt instanceof Date ? dayNumber(l.enrolledAt) : null);
  }
  const step = Math.max(1, Math.ceil(runs.length / MAX_SNAPSHOTS));
  const snapshots = runs.filter((_, i) => (runs.length - 1 - i) % step === 0).map((r) => r.asOfDay);
  const inputs: CourseInput[] = [];
  for (const asOf of snapshots) {
    const dropoutKnown = outcome === 'dropout' && known.size === 0 && asOf + DROPOUT_DAYS <= latestDay;
    if (outcome === 'dropout' && known.size === 0 && !dropoutKnown) continue;
    const days = new Map<string, import('../domain/activity').DailyActivity[]>();
    for await (const a of readCourseActivity(courseId, { fromDay: asOf - LOOKBACK_DAYS + 1, toDay: asOf + DROPOUT_DAYS })) days.set(a.learnerId, a.days);
    const groups = new Map<string, CourseInput>();
    for (const [learnerId, enrolledDay] of enrolled) {
      if (enrolledDay !== null && enrolledDay > asOf) continue;
      const all = days.get(learnerId) ?? [];
      const label = dropoutKnown ? (all.some((d) => d.day > asOf) ? 0 : 1) : known.get(learnerId);
      if (label === undefined) continue;
      const group = byCourse ? courseId : `${courseId}#${crypto.createHash('sha1').update(learnerId).digest()[0] % LEARNER_GROUPS}`;
      let input = groups.get(group);
      if (!input) groups.set(group, (input = { courseId: group, window: { start: asOf - LOOKBACK_DAYS + 1, end: asOf }, learners: [] }));
      input.learners.push({ days: all.filter((d) => d.day <= asOf), window: learnerWindow(asOf, { courseStartDay: startDay, enrolledDay }), label });
    }
    inputs.push(...groups.values());
  }
  return inputs;
}

/** Known labels of an outcome by learner id, from the outcomes the sources reported. */
async function knownLabels(courseId: string, outcome: Outcome): Promise<Map<string, number>> {
  if (outcome === 'certificate') {
    const out = new Map<string, number>();
    for (const name of ['passed', 'certificate'] as const) for (const [learner, value] of await readOutcomes(courseId, name)) out.set(learner, Math.max(out.get(learner) ?? 0, value >= 0.5 ? 1 : 0));
    return out;
  }
  const values = await readOutcomes(courseId, outcome);
  return new Map([...values].map(([learner, value]) => [learner, value >= 0.5 ? 1 : 0]));
}

function isoDay(day: number): string {
  return new Date(day * 86_400_000).toISOString().slice(0, 10);
}
