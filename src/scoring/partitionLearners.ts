import { Types } from 'mongoose';
import { Learner } from '../storage/models/Learner';
import type { NightlyRunDoc } from '../storage/models/NightlyRun';
import { finishStep, startStep, stepFinished } from './runState';

/**
 * Learners per partition by default: one partition job reads and scores this many. Large, because on FerretDB
 * v1.24 a partition's range filters are applied after decoding every document of the course (only equality
 * filters reach PostgreSQL), so each partition costs a decode of the whole course's learners and activity: at
 * 100,000 learners, two partitions of 50,000 took 199 s in the features step and one partition 136 s (bench:score).
 * A partition's memory in this process hardly grows with its size (its activity and features are streamed).
 */
export const DEFAULT_PARTITION_SIZE = 100_000;

/** A contiguous range of learner ids (hex, inclusive) scored by one partition job. */
export interface LearnerPartition {
  from: string;
  to: string;
  learners: number;
}

/** Filter for the learners a run scores. */
export function scoredLearnersFilter(courseId: string): Record<string, unknown> {
  return { courseId: new Types.ObjectId(courseId), status: { $ne: 'removed' } };
}

/**
 * Splits a course's learners into contiguous `_id` ranges of `size` learners (ids only, sorted here: FerretDB
 * v1.24 sorts in its own memory after reading everything anyway, so sorting 100,000 ids in this process is cheaper).
 * Ranges rather than hash buckets: each partition then reads its learners' activity buckets as one
 * `_id` range of the sorted activity collection, so partitions never read each other's data.
 */
export async function partitionLearners(courseId: string, size = DEFAULT_PARTITION_SIZE): Promise<LearnerPartition[]> {
  const ids: string[] = [];
  for await (const doc of Learner.collection.find(scoredLearnersFilter(courseId), { projection: { _id: 1 } }).batchSize(5000)) ids.push(String(doc._id));
  ids.sort();
  const partitions: LearnerPartition[] = [];
  for (let start = 0; start < ids.length; start += size) {
    const end = Math.min(ids.length, start + size);
    partitions.push({ from: ids[start], to: ids[end - 1], learners: end - start });
  }
  return partitions;
}

/**
 * Aggregate step: the activity is already stored as daily aggregates by ingestion (imports, pushes and the
 * pull step), so this step fixes the run's population: the learners it scores and their partitions.
 */
export async function runAggregateStep(run: NightlyRunDoc, partitionSize = DEFAULT_PARTITION_SIZE): Promise<LearnerPartition[]> {
  if (stepFinished(run, 'aggregate')) return run.partitions as LearnerPartition[];
  await startStep(run._id, 'aggregate');
  const partitions = await partitionLearners(run.courseId, partitionSize);
  const learners = partitions.reduce((s, p) => s + p.learners, 0);
  await finishStep(run._id, 'aggregate', 'done', `${learners} learners in ${partitions.length} partition(s)`, { partitions, learners });
  return partitions;
}
