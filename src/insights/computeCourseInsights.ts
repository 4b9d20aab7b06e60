import { Types } from 'mongoose';
import { dayNumber, type DailyActivity } from '../domain/activity';
import { NotFoundError, ValidationError } from '../errors';
import { firstActivityDay } from '../ingest/activityReader';
import { weekOfDay } from '../ingest/dayEntry';
import { readOutcomes } from '../ingest/outcomes';
import { log } from '../log';
import { Course } from '../storage/models/Course';
import { CourseDesign } from '../storage/models/CourseDesign';
import { CourseInsight } from '../storage/models/CourseInsight';
import { Learner } from '../storage/models/Learner';
import { LearnerCluster } from '../storage/models/LearnerCluster';
import { Score } from '../storage/models/Score';
import { BehaviourProfile, CourseWindow, behaviourProfile, isActiveDay } from './clustering/behaviourProfile';
import { clusterLearners } from './clustering/clusterLearners';
import { mostAndLeastVisited } from './contentVisits';
import { CompletionModel, CourseCompletionRow, featureImportance, fitCompletionModel, largestGains, predictCompletion } from './design/completionModel';
import { DESIGN_FEATURES, DesignVector, FEATURE_INFO } from './design/designFeatures';
import { busiestHour, engagementAgainstOutcome, OverviewAccumulator } from './overview/overviewAccumulator';
import { hashSeed } from './random';

const DAY_MS = 86_400_000;

/** Reads a course's daily activity learner by learner (ingest's `readCourseActivity`). */
export type CourseActivityReader = (courseId: string, range: { fromDay?: number; toDay?: number }) => AsyncIterable<{ learnerId: string; days: DailyActivity[] }>;

export interface ComputeInsightsOptions {
  readActivity: CourseActivityReader;
  /** Day the figures are computed at; default today (capped at the course's last day). */
  asOf?: Date;
  /** Run date recorded with the insights; default the as-of date. */
  runDate?: string;
}

/** Headline figures of one computation (also what the task logs). */
export interface ComputeInsightsSummary {
  courseId: string;
  learners: number;
  clusters: number;
  designStatus: 'ok' | 'needs_more_courses' | 'no_structure';
  busiest: { weekday: number; hour: number };
  ms: number;
}

/**
 * Computes and stores a course's insights: streams its activity once into the overview and the
 * behaviour profiles, clusters learners (writing each learner's cluster), relates active days to
 * completion in past runs of the same course, and places the course in the installation's
 * course-design completion model. Idempotent: rerunning replaces the stored insights.
 */
export async function computeCourseInsights(courseId: string, options: ComputeInsightsOptions): Promise<ComputeInsightsSummary> {
  const started = Date.now();
  if (!Types.ObjectId.isValid(courseId)) throw ValidationError(`"${courseId}" is not a course id`);
  const course = await Course.findById(courseId).lean();
  if (!course) throw NotFoundError(`No course ${courseId}.`);
  const window = courseWindow(course, options.asOf ?? new Date(), course.startDate ? null : await firstActivityDay(courseId));
  const runDate = options.runDate ?? new Date(window.asOfDay * DAY_MS).toISOString().slice(0, 10);

  const onTrack = new Map<string, boolean>();
  if (course.lastScoredRunDate) {
    for await (const s of Score.find({ courseId: course._id, runDate: course.lastScoredRunDate }).select({ learnerId: 1, completion: 1 }).lean().cursor()) onTrack.set(String(s.learnerId), s.completion >= 0.5);
  }
  const overview = new OverviewAccumulator(window, course.timeZone || 'UTC');
  const profiles: BehaviourProfile[] = [];
  for await (const { learnerId, days } of options.readActivity(courseId, { fromDay: window.startDay, toDay: window.asOfDay })) {
    overview.add(learnerId, days, onTrack.size ? onTrack.get(learnerId) ?? false : undefined);
    profiles.push(behaviourProfile(learnerId, days, window));
  }
  const enrolled = await Learner.countDocuments({ courseId: course._id, status: { $ne: 'removed' } });
  const figures = overview.result(enrolled);

  const dropouts = toBooleans(await readOutcomes(courseId, 'dropout'));
  const completions = toBooleans(await readOutcomes(courseId, 'completion'));
  const clustering = clusterLearners(profiles, window.asOfDay, dropouts, { seed: hashSeed(courseId) });
  await writeClusters(courseId, runDate, profiles, clustering.assignments, clustering.clusters.map((c) => c.label));

  const pastRuns = await engagementInPastRuns(course, completions, figures.activeDaysByLearner, options.readActivity);
  const design = await designStanding(courseId, completions);
  const busiest = busiestHour(figures.heatmap);
  const content = await mostAndLeastVisited(courseId, weekOfDay(window.startDay), weekOfDay(window.asOfDay));

  await CourseInsight.replaceOne(
    { _id: courseId },
    {
      runDate,
      asOfDay: window.asOfDay,
      computedAt: new Date(),
      overview: {
        weeks: figures.weeks.map((w) => ({ week: w.week + 1, start: new Date(w.startDay * DAY_MS).toISOString().slice(0, 10) })),
        weeklyActive: figures.weeklyActive,
        mix: figures.mix,
        heatmapFlat: figures.heatmap.flat(),
        timeZone: figures.timeZone,
        heatmapEstimatedShare: figures.heatmapEstimatedShare,
        busiest,
        funnel: figures.funnel,
        pastRuns,
        content,
      },
      clusters: { ...clustering, assignments: undefined, centroids: undefined, learners: profiles.length },
      design,
    },
    { upsert: true },
  );
  const summary = { courseId, learners: profiles.length, clusters: clustering.k, designStatus: design.status, busiest: { weekday: busiest.weekday, hour: busiest.hour }, ms: Date.now() - started };
  log.info(summary, 'course insights computed');
  return summary;
}

/**
 * The course's window in UTC days: start from the course's start date, else the week of its first
 * activity (activity is often imported from before Keepup knew the course), else its creation; length
 * from its end date, else 10 weeks, extended through the as-of day when the start date is unknown.
 */
function courseWindow(course: { startDate?: Date | null; endDate?: Date | null; createdAt?: Date }, asOf: Date, firstDay: number | null): CourseWindow {
  const startDay = course.startDate ? dayNumber(course.startDate) : firstDay ?? dayNumber(course.createdAt ?? asOf);
  const endDay = course.endDate ? dayNumber(course.endDate) : course.startDate ? startDay + 10 * 7 : Math.max(startDay + 10 * 7, dayNumber(asOf) + 1);
  const weeks = Math.max(1, Math.ceil((endDay - startDay) / 7));
  const asOfDay = Math.max(startDay, Math.min(dayNumber(asOf), startDay + weeks * 7 - 1));
  return { startDay, weeks, asOfDay };
}

function toBooleans(values: Map<string, number>): Map<string, boolean> {
  return new Map([...values].map(([k, v]) => [k, v >= 0.5]));
}

/**
 * Replaces the course's learner clusters insert-only: deletes the course's rows, then inserts this run's
 * in batches. Replacing existing rows with a bulk of upserts stalls FerretDB once a batch passes ~50
 * operations, which hung every second computation of a course; inserts do not. Readers see the course
 * unclustered for the moment between the delete and the inserts.
 */
async function writeClusters(courseId: string, runDate: string, profiles: BehaviourProfile[], assignments: number[], labels: string[]): Promise<void> {
  await LearnerCluster.deleteMany({ c: courseId });
  for (let i = 0; i < assignments.length; i += 2000) {
    const docs = assignments.slice(i, i + 2000).map((k, j) => {
      const l = profiles[i + j].learnerId;
      return { _id: `${courseId}|${l}` as never, c: courseId, l, k, label: labels[k], runDate };
    });
    await LearnerCluster.collection.insertMany(docs, { ordered: false });
  }
}

/**
 * Active days against completion, per past run of the same course (Open edX: same org and number,
 * another run; elsewhere: same title) and this run once completion is known. At most 5 runs.
 */
async function engagementInPastRuns(course: { _id: Types.ObjectId; externalId: string; title?: string | null }, completions: Map<string, boolean>, activeDays: Map<string, number>, readActivity: CourseActivityReader) {
  const runs: Array<{ courseId: string; title: string; thisRun: boolean; bins: ReturnType<typeof engagementAgainstOutcome> }> = [];
  if (completions.size) runs.push({ courseId: String(course._id), title: course.title ?? '', thisRun: true, bins: engagementAgainstOutcome([...completions].map(([l, completed]) => ({ activeDays: activeDays.get(l) ?? 0, completed }))) });
  const family = /^course-v1:([^+]+\+[^+]+)\+/.exec(course.externalId)?.[1];
  const filter = family ? { externalId: { $regex: `^course-v1:${escapeRegex(family)}\\+` } } : course.title ? { title: course.title } : null;
  if (!filter) return runs;
  const others = await Course.find({ ...filter, _id: { $ne: course._id } }).sort({ startDate: -1 }).limit(5).select({ title: 1, externalId: 1 }).lean();
  for (const other of others) {
    const id = String(other._id);
    const outcomes = toBooleans(await readOutcomes(id, 'completion'));
    if (!outcomes.size) continue;
    const days = new Map<string, number>();
    for await (const { learnerId, days: d } of readActivity(id, {})) days.set(learnerId, d.filter(isActiveDay).length);
    runs.push({ courseId: id, title: `${other.title} (${other.externalId})`, thisRun: false, bins: engagementAgainstOutcome([...outcomes].map(([l, completed]) => ({ activeDays: days.get(l) ?? 0, completed }))) });
  }
  return runs;
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Fits the course-design completion model on every course of the installation with known completion. */
export async function installationDesignModel(): Promise<{ rows: CourseCompletionRow[]; model: CompletionModel }> {
  const all = await CourseDesign.find({ learners: { $gt: 0 } }).select({ title: 1, features: 1, learners: 1, completed: 1 }).lean();
  const rows: CourseCompletionRow[] = all.map((d) => ({ courseId: String(d._id), title: d.title ?? '', features: d.features as DesignVector, learners: d.learners ?? 0, completed: d.completed ?? 0 }));
  return { rows, model: fitCompletionModel(rows, { seed: 11 }) };
}

/** Updates this course's completion figures and places it in the installation's course-design model. */
async function designStanding(courseId: string, completions: Map<string, boolean>) {
  if (completions.size) await CourseDesign.updateOne({ _id: courseId }, { $set: { learners: completions.size, completed: [...completions.values()].filter(Boolean).length } });
  const mine = await CourseDesign.findById(courseId).lean();
  const { rows, model } = await installationDesignModel();
  const featureInfo = DESIGN_FEATURES.map((f) => ({ feature: f, ...FEATURE_INFO[f] }));
  const note = 'An association found across the courses of this installation, not a promise: courses differ in many ways the model does not see.';
  if (!mine) return { status: 'no_structure' as const, minCourses: model.minCourses, courses: model.courses, featureInfo, note };
  const features = mine.features as DesignVector;
  const rate = (d: { learners?: number | null; completed?: number | null }) => (d.learners ? Math.round(((d.completed ?? 0) / d.learners) * 1000) / 1000 : null);
  const base = { minCourses: model.minCourses, courses: model.courses, featureInfo, note, thisCourse: { features, completionRate: rate(mine) } };
  if (model.status !== 'ok') return { status: 'needs_more_courses' as const, ...base };
  return {
    status: 'ok' as const,
    ...base,
    others: rows.map((r) => ({ courseId: r.courseId, title: r.title, thisCourse: r.courseId === courseId, completionRate: Math.round((r.completed / r.learners) * 1000) / 1000, predicted: Math.round(predictCompletion(model, r.features) * 1000) / 1000 })),
    predicted: Math.round(predictCompletion(model, features) * 1000) / 1000,
    importance: featureImportance(model),
    gains: largestGains(model, features),
    fit: { looMaePp: model.looMaePp, lambda: model.lambda, constantFeatures: model.constantFeatures },
  };
}
