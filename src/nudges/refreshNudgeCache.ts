import type { Redis } from 'ioredis';
import { Types } from 'mongoose';
import { assignLearners, AssignmentRun } from '../experiments/experimentAssigner';
import { log } from '../log';
import { Assignment, assignmentKey } from '../storage/models/Assignment';
import { Course } from '../storage/models/Course';
import { Experiment, ExperimentDoc } from '../storage/models/Experiment';
import { Learner } from '../storage/models/Learner';
import { Score } from '../storage/models/Score';
import { NotFoundError } from '../errors';
import { buildWidgetContent } from './nudgeContent';
import { CachedNudge, NudgeCacheStore } from './NudgeCacheStore';

const BATCH = 2000;

export interface RefreshResult {
  courseId: string;
  runDate: string | null;
  experimentId: string | null;
  learners: number;
  /** Learners whose content carries a message in at least one placement. */
  withMessage: number;
  assignment: AssignmentRun | null;
}

/**
 * Rebuilds the widget content of every active learner of a course from the latest scores
 * (`Course.lastScoredRunDate`) and the running experiment, assigning learners who are new to it first.
 * Run after each nightly run, and when an experiment starts or stops. Idempotent.
 */
export async function refreshNudgeCache(props: { courseId: string; redis?: Redis; prefix?: string; now?: Date }): Promise<RefreshResult> {
  const course = await Course.findById(props.courseId).select({ lastScoredRunDate: 1 }).lean();
  if (!course) throw NotFoundError(`No course ${props.courseId}.`);
  const courseId = course._id;
  const runDate = course.lastScoredRunDate ?? null;
  const experiment = await Experiment.findOne({ courseId, status: 'running' }).lean<ExperimentDoc>();
  const assignment = experiment ? await assignLearners(experiment, props.now) : null;
  const store = new NudgeCacheStore(props.redis, props.prefix);
  let learners = 0;
  let withMessage = 0;

  let batch: Array<{ _id: Types.ObjectId; givenName?: string | null; name?: string | null; optOut?: { nudges?: boolean | null } | null }> = [];
  const flush = async () => {
    const ids = batch.map((l) => l._id);
    const [scores, assignments] = await Promise.all([
      runDate ? Score.find({ courseId, runDate, learnerId: { $in: ids } }).select({ learnerId: 1, whatIf: 1, activity: 1 }).lean() : Promise.resolve([]),
      experiment ? Assignment.find({ _id: { $in: ids.map((id) => assignmentKey(experiment._id, id)) } }).select({ learnerId: 1, arm: 1 }).lean() : Promise.resolve([]),
    ]);
    const scoreOf = new Map(scores.map((s) => [String(s.learnerId), s]));
    const armOf = new Map(assignments.map((a) => [String(a.learnerId), a.arm]));
    const entries: CachedNudge[] = batch.map((learner) => {
      const id = String(learner._id);
      const arm = armOf.get(id);
      const content = buildWidgetContent({
        learner,
        score: scoreOf.get(id) ?? null,
        experiment: experiment && arm ? { id: String(experiment._id), arm, arms: experiment.arms } : null,
      });
      if (content.messages.widget || content.messages.video) withMessage++;
      return { courseId: String(courseId), learnerId: id, runDate, content };
    });
    learners += entries.length;
    batch = [];
    await store.putMany(entries);
  };
  const cursor = Learner.find({ courseId, status: 'active' }).select({ givenName: 1, name: 1, optOut: 1 }).lean().cursor({ batchSize: 5000 });
  for await (const learner of cursor) {
    batch.push(learner);
    if (batch.length >= BATCH) await flush();
  }
  if (batch.length) await flush();
  await store.bumpVersion(String(courseId));
  const result: RefreshResult = { courseId: String(courseId), runDate, experimentId: experiment ? String(experiment._id) : null, learners, withMessage, assignment };
  log.info(result, 'nudge cache refreshed');
  return result;
}
