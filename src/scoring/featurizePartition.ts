import { Types } from 'mongoose';
import { dayNumber, type DailyActivity } from '../domain/activity';
import { readCourseActivity } from '../ingest/activityReader';
import { FeatureWeek, featureWeekId } from '../storage/models/FeatureWeek';
import { Learner } from '../storage/models/Learner';
import type { NightlyRunDoc } from '../storage/models/NightlyRun';
import { featurizeLearner } from './learnerFeatures';
import { packInputs } from './modelInputs';
import type { LearnerPartition } from './partitionLearners';
import { InsertOnceWriter } from './insertOnce';
import { heartbeat, recordPart } from './runState';
import { LOOKBACK_DAYS, learnerWindow } from './scoringSpec';

/** Documents per insert batch. */
const BATCH = 2000;

/** The FeatureWeek document of one learner for a run. */
export function featureDoc(run: Pick<NightlyRunDoc, 'courseId' | 'runDate'>, learnerId: string, days: readonly DailyActivity[], window: { start: number; end: number }) {
  const set = featurizeLearner(days, window);
  const a = set.activity;
  return {
    _id: featureWeekId(run.courseId, run.runDate, learnerId),
    c: run.courseId,
    r: run.runDate,
    l: learnerId,
    ws: window.start,
    we: window.end,
    x: packInputs({ actual: set, plusVideoHour: set.plusVideoHour, plusProblem: set.plusProblem }),
    a: [a.lastActiveAt ? a.lastActiveAt.getTime() : -1, a.activeDays, a.lastWeekMinutes, a.lastWeekProblems, a.lastWeekVideoMinutes, a.totalMinutes],
  };
}

/**
 * Features step for one partition: loads the partition's learners, streams their activity over the lookback
 * window (one cursor over the partition's range of week buckets), computes each learner's
 * features over the learner's own window (late enrolees start at enrolment), and inserts one FeatureWeek per
 * learner. Learners with no activity get features too. Inserts only: a resumed partition's rows already stored
 * are duplicate-key no-ops. Returns the number of learners featurized.
 */
export async function featurizePartition(run: NightlyRunDoc, index: number, course: { startDay: number | null }): Promise<number> {
  const partition = run.partitions[index] as LearnerPartition;
  if (!partition) throw new Error(`run ${run._id} has no partition ${index}`);
  const activity = readCourseActivity(run.courseId, { fromDay: run.asOfDay - LOOKBACK_DAYS + 1, toDay: run.asOfDay, learnerRange: partition });
  // The partition's learners (id → enrolment day; a few MB for 20,000), then one pass over their activity.
  const enrolment = new Map<string, number | null>();
  const learners = Learner.collection.find(
    { courseId: new Types.ObjectId(run.courseId), status: { $ne: 'removed' }, _id: { $gte: new Types.ObjectId(partition.from), $lte: new Types.ObjectId(partition.to) } },
    { projection: { enrolledAt: 1 } },
  );
  for await (const learner of learners.batchSize(BATCH)) enrolment.set(String(learner._id), learner.enrolledAt instanceof Date ? dayNumber(learner.enrolledAt) : null);
  const writer = new InsertOnceWriter(FeatureWeek.collection, BATCH);
  let count = 0;
  const featurize = async (id: string, days: readonly DailyActivity[]) => {
    await writer.add([featureDoc(run, id, days, learnerWindow(run.asOfDay, { courseStartDay: course.startDay, enrolledDay: enrolment.get(id) ?? null }))]);
    enrolment.delete(id);
    if (++count % BATCH === 0) await heartbeat(run._id);
  };
  for await (const { learnerId, days } of activity) if (enrolment.has(learnerId)) await featurize(learnerId, days);
  for (const id of [...enrolment.keys()]) await featurize(id, []);
  await writer.flush();
  await recordPart(run._id, 'features', index, count);
  return count;
}
