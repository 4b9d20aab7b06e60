import { parsePopulation } from '../../src/scoring/populationStep';
import { runModels } from '../../src/scoring/runModels';
import { finishedParts, requireRun, runCourse } from '../../src/scoring/runState';
import { scorePartition } from '../../src/scoring/scorePartition';
import { NIGHTLY_JOBS, type PartitionProps } from './nightlyStages';
import { NightlyStepTask } from './NightlyStepTask';

/** Score step for one partition: predictions, explanations and "what would help" for its learners. */
export class ScorePartitionTask extends NightlyStepTask<PartitionProps> {
  readonly jobName = NIGHTLY_JOBS.scorePartition;

  async perform(props: PartitionProps): Promise<number> {
    const run = await requireRun(props.runId);
    const done = (await finishedParts(run._id, 'score')).get(props.partition);
    if (done) return done.n;
    const population = parsePopulation(run);
    const models = await runModels(run, await runCourse(run.courseId));
    return (await scorePartition(await requireRun(props.runId), props.partition, population, models)).n;
  }
}
