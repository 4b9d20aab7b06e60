import { featurizePartition } from '../../src/scoring/featurizePartition';
import { finishedParts, requireRun, runCourse } from '../../src/scoring/runState';
import { NIGHTLY_JOBS, type PartitionProps } from './nightlyStages';
import { NightlyStepTask } from './NightlyStepTask';

/** Features step for one partition of learners (skipped when the partition is already featurized). */
export class FeaturesPartitionTask extends NightlyStepTask<PartitionProps> {
  readonly jobName = NIGHTLY_JOBS.featuresPartition;

  async perform(props: PartitionProps): Promise<number> {
    const run = await requireRun(props.runId);
    const done = (await finishedParts(run._id, 'features')).get(props.partition);
    if (done) return done.n;
    return featurizePartition(run, props.partition, await runCourse(run.courseId));
  }
}
