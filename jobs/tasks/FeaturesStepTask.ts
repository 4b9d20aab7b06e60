import { runPopulationStep } from '../../src/scoring/populationStep';
import { requireRun } from '../../src/scoring/runState';
import { NIGHTLY_JOBS, scheduleStage, type StepProps } from './nightlyStages';
import { NightlyStepTask } from './NightlyStepTask';

/** Closes the features step once every partition is featurized (course population statistics), then schedules scoring. */
export class FeaturesStepTask extends NightlyStepTask<StepProps> {
  readonly jobName = NIGHTLY_JOBS.features;

  async perform(props: StepProps): Promise<void> {
    await runPopulationStep(await requireRun(props.runId));
    await scheduleStage(await requireRun(props.runId), 'score', props);
  }
}
