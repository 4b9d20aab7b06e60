import { runEmitStep } from '../../src/scoring/finishRun';
import { requireRun } from '../../src/scoring/runState';
import { NIGHTLY_JOBS, type StepProps } from './nightlyStages';
import { NightlyStepTask } from './NightlyStepTask';

/** Last step: emits the course-scored event to its processors and completes the run. */
export class EmitStepTask extends NightlyStepTask<StepProps> {
  readonly jobName = NIGHTLY_JOBS.emit;

  async perform(props: StepProps): Promise<void> {
    await runEmitStep(await requireRun(props.runId));
  }
}
