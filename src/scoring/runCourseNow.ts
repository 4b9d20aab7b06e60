import type { NightlyRunDoc, RunStep } from '../storage/models/NightlyRun';
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
  /** Partitions featurized or scored at once (as a worker with concurrency 2 would). Default 2. */
  concurrency?: number;
  onProgress?: (message: string) => void;
  /** Called as each step finishes, with its duration in this call (benchmarks, the CLI's --json). */
  onStepDone?: (step: RunStep, seconds: number) => void;
}

/**
 * Runs a course's nightly pipeline in this process, step by step, with the same step functions the BullMQ
 * tasks call (so `keepup score` and the nightly job share one code path). Resumes a run that stopped part
 * way; a completed run is left as it is. Returns the final run document.
 */
export async function runCourseNow(courseId: string, runDate: string, options: RunNowOptions = {}): Promise<NightlyRunDoc> {
  const progress = options.onProgress ?? (() => undefined);
  let mark = process.hrtime.bigint();
  const stepDone = (step: RunStep) => {
    const now = process.hrtime.bigint();
    options.onStepDone?.(step, Number(now - mark) / 1e9);
    mark = now;
  };
  await ensureRunIndexes();
  const course = await runCourse(courseId);
  let run = await openRun(courseId, runDate, options.trigger ?? 'cli');
  if (run.status === 'completed') return run;
  await runPullStep(run);
  stepDone('pull');
  run = await requireRun(run._id);
  const partitions = await runAggregateStep(run, options.partitionSize ?? DEFAULT_PARTITION_SIZE);
  stepDone('aggregate');
  run = await requireRun(run._id);
  progress(`${run.learners} learners in ${partitions.length} partition(s)`);
  if (!stepFinished(run, 'features')) {
    await startStep(run._id, 'features');
    const done = await finishedParts(run._id, 'features');
    const current = run;
    await inParallel(partitions.map((_, p) => p).filter((p) => !done.has(p)), options.concurrency ?? 2, async (p) =>
      progress(`features: partition ${p + 1}/${partitions.length}: ${await featurizePartition(current, p, course)} learners`),
    );
  }
  const population = await runPopulationStep(await requireRun(run._id));
  stepDone('features');
  run = await requireRun(run._id);
  if (!stepFinished(run, 'score')) {
    await startStep(run._id, 'score');
    const models = await runModels(run, course);
    run = await requireRun(run._id);
    const done = await finishedParts(run._id, 'score');
    const current = run;
    await inParallel(partitions.map((_, p) => p).filter((p) => !done.has(p)), options.concurrency ?? 2, async (p) =>
      progress(`score: partition ${p + 1}/${partitions.length}: ${(await scorePartition(current, p, population, models)).n} learners`),
    );
    await finishScoreStep(await requireRun(run._id));
  }
  stepDone('score');
  await runEmitStep(await requireRun(run._id));
  stepDone('emit');
  return requireRun(run._id);
}

/** Runs `work` over the items with at most `limit` at once. */
async function inParallel<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await work(items[next++]);
  }));
}
