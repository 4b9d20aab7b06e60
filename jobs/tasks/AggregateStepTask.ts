import { runAggregateStep } from '../../src/scoring/partitionLearners';
import { requireRun } from '../../src/scoring/runState';
import { NIGHTLY_JOBS, scheduleStage, type StepProps } from './nightlyStages';
import { NightlyStepTask } from './NightlyStepTask';

/** Aggregate step (after pull): fixes the run's learners and partitions, then schedules the features stage. */
export class AggregateStepTask extends NightlyStepTask<StepProps> {
  readonly jobName = NIGHTLY_JOBS.aggregate;

  async perform(props: StepProps): Promise<void> {
    await runAggregateStep(await requireRun(props.runId), props.partitionSize);
    await scheduleStage(await requireRun(props.runId), 'features', props);
  }
}
