import { Types } from 'mongoose';
import { dayNumber, type DailyActivity } from '../domain/activity';
import { readCourseActivity } from '../ingest/activityReader';
import { FeatureChunk } from '../storage/models/FeatureChunk';
import { Learner } from '../storage/models/Learner';
import type { NightlyRunDoc } from '../storage/models/NightlyRun';
import { FEATURE_CHUNK, packFeatureChunk, type LearnerFeatureRow } from './featureChunks';
import { featurizeLearner } from './learnerFeatures';
import { packInputs } from './modelInputs';
import type { LearnerPartition } from './partitionLearners';
import { InsertOnceWriter } from '../storage/insertOnce';
import { heartbeat, recordPart } from './runState';
import { LOOKBACK_DAYS, learnerWindow } from './scoringSpec';

/** Learner documents per cursor batch. */
const BATCH = 2000;

/** One learner's stored features for a run. */
export function featureRow(learnerId: string, days: readonly DailyActivity[], window: { start: number; end: number }): LearnerFeatureRow {
  const set = featurizeLearner(days, window);
  const a = set.activity;
  return {
    learnerId,
    window,
    activity: [a.lastActiveAt ? a.lastActiveAt.getTime() : -1, a.activeDays, a.lastWeekMinutes, a.lastWeekProblems, a.lastWeekVideoMinutes, a.totalMinutes],
    inputs: packInputs({ actual: set, plusVideoHour: set.plusVideoHour, plusProblem: set.plusProblem }),
  };
}

/**
 * Features step for one partition: loads the partition's learners, streams their activity over the lookback
 * window (one cursor over the partition's range of week buckets), computes each learner's features over the
 * learner's own window (late enrolees start at enrolment), and stores them in chunks of `FEATURE_CHUNK` learners.
 * Learners with no activity get features too. A partition is all or nothing: chunks left by an attempt that
 * stopped part way are removed first (the partition is recorded as done only after its last chunk is written),
 * so every learner is stored exactly once even if the activity changed in between. Returns the number of
 * learners featurized.
 */
export async function featurizePartition(run: NightlyRunDoc, index: number, course: { startDay: number | null }): Promise<number> {
  const partition = run.partitions[index] as LearnerPartition;
  if (!partition) throw new Error(`run ${run._id} has no partition ${index}`);
  await FeatureChunk.collection.deleteMany({ c: run.courseId, r: run.runDate, pt: index });
  const activity = readCourseActivity(run.courseId, { fromDay: run.asOfDay - LOOKBACK_DAYS + 1, toDay: run.asOfDay, learnerRange: partition });
  // The partition's learners (id → enrolment day; a few MB for 20,000), then one pass over their activity.
  const enrolment = new Map<string, number | null>();
  const learners = Learner.collection.find(
    { courseId: new Types.ObjectId(run.courseId), status: { $ne: 'removed' }, _id: { $gte: new Types.ObjectId(partition.from), $lte: new Types.ObjectId(partition.to) } },
    { projection: { enrolledAt: 1 } },
  );
  for await (const learner of learners.batchSize(BATCH)) enrolment.set(String(learner._id), learner.enrolledAt instanceof Date ? dayNumber(learner.enrolledAt) : null);
  const writer = new InsertOnceWriter(FeatureChunk.collection, 2);
  let rows: LearnerFeatureRow[] = [];
  let chunks = 0;
  let count = 0;
  const featurize = async (id: string, days: readonly DailyActivity[]) => {
    rows.push(featureRow(id, days, learnerWindow(run.asOfDay, { courseStartDay: course.startDay, enrolledDay: enrolment.get(id) ?? null })));
    enrolment.delete(id);
    count++;
    if (rows.length === FEATURE_CHUNK) await flush();
  };
  const flush = async () => {
    await writer.add([packFeatureChunk(run, index, chunks++, rows)]);
    rows = [];
    await heartbeat(run._id);
  };
  for await (const { learnerId, days } of activity) if (enrolment.has(learnerId)) await featurize(learnerId, days);
  for (const id of [...enrolment.keys()]) await featurize(id, []);
  if (rows.length) await flush();
  await writer.flush();
  await recordPart(run._id, 'features', index, count);
  return count;
}
