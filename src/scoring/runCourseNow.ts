import type { NightlyRunDoc } from '../storage/models/NightlyRun';
import { featurizePartition } from './featurizePartition';
import { finishScoreStep, runEmitStep } from './finishRun';
import { runAggregateStep, DEFAULT_PARTITION_SIZE } from './partitionLearners';
import { runPopulationStep } from './populationStep';
import { runPullStep } from './pullStep';
import { runModels } from './runModels';
import { ensureRunIndexes, finishedParts, openRun, requireRun, runCourse, startStep, stepFinished } from './runState';
import { scorePartition } from './scorePartition';

export interface RunNowOptions {
  trigger?: NightlyRunDoc['trigger'];
  partitionSize?: number;
  onProgress?: (message: string) => void;
}

/**
 * Runs a course's nightly pipeline in this process, step by step, with the same step functions the BullMQ
 * tasks call (so `keepup score` and the nightly job share one code path). Resumes a run that stopped part
 * way; a completed run is left as it is. Returns the final run document.
 */
export async function runCourseNow(courseId: string, runDate: string, options: RunNowOptions = {}): Promise<NightlyRunDoc> {
  const progress = options.onProgress ?? (() => undefined);
  await ensureRunIndexes();
  const course = await runCourse(courseId);
  let run = await openRun(courseId, runDate, options.trigger ?? 'cli');
  if (run.status === 'completed') return run;
  await runPullStep(run);
  run = await requireRun(run._id);
  const partitions = await runAggregateStep(run, options.partitionSize ?? DEFAULT_PARTITION_SIZE);
  run = await requireRun(run._id);
  progress(`${run.learners} learners in ${partitions.length} partition(s)`);
  if (!stepFinished(run, 'features')) {
    await startStep(run._id, 'features');
    const done = await finishedParts(run._id, 'features');
    for (let p = 0; p < partitions.length; p++) {
      if (!done.has(p)) progress(`features: partition ${p + 1}/${partitions.length}: ${await featurizePartition(run, p, course)} learners`);
    }
  }
  const population = await runPopulationStep(await requireRun(run._id));
  run = await requireRun(run._id);
  if (!stepFinished(run, 'score')) {
    await startStep(run._id, 'score');
    const models = await runModels(run, course);
    run = await requireRun(run._id);
    const done = await finishedParts(run._id, 'score');
    for (let p = 0; p < partitions.length; p++) {
      if (!done.has(p)) progress(`score: partition ${p + 1}/${partitions.length}: ${(await scorePartition(run, p, population, models)).n} learners`);
    }
    await finishScoreStep(await requireRun(run._id));
  }
  await runEmitStep(await requireRun(run._id));
  return requireRun(run._id);
}
