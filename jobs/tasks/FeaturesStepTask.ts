import { runPopulationStep } from '../../src/scoring/populationStep';
import { runModels } from '../../src/scoring/runModels';
import { requireRun, runCourse } from '../../src/scoring/runState';
import { NIGHTLY_JOBS, scheduleStage, type StepProps } from './nightlyStages';
import { NightlyStepTask } from './NightlyStepTask';

/** Closes the features step once every partition is featurized (course population statistics), then schedules scoring. */
export class FeaturesStepTask extends NightlyStepTask<StepProps> {
  readonly jobName = NIGHTLY_JOBS.features;

  async perform(props: StepProps): Promise<void> {
    const run = await requireRun(props.runId);
    await runPopulationStep(run);
    // Fix the model versions once, here, before the score partitions run concurrently.
    await runModels(await requireRun(props.runId), await runCourse(run.courseId));
    await scheduleStage(await requireRun(props.runId), 'score', props);
  }
}
