import type { JobsOptions } from 'bullmq';
import { failRun } from '../../src/scoring/runState';
import { BaseTask } from '../BaseTask';
import { STEP_OPTIONS, type StepProps } from './nightlyStages';

/** Base of the nightly flow's step tasks: the `nightly` queue, the step retry policy, and failing the run when a step gives up. */
export abstract class NightlyStepTask<P extends StepProps> extends BaseTask<P> {
  readonly queue = 'nightly' as const;

  override get options(): JobsOptions {
    return STEP_OPTIONS;
  }

  override async onFailed(props: P, error: Error): Promise<void> {
    await failRun(props.runId, error);
  }
}
