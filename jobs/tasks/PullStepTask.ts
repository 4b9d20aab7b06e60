import { runPullStep } from '../../src/scoring/pullStep';
import { requireRun } from '../../src/scoring/runState';
import { NIGHTLY_JOBS, type StepProps } from './nightlyStages';
import { NightlyStepTask } from './NightlyStepTask';

/** Pull step: runs the course's pull connectors (skipped for courses without outbound data connections). */
export class PullStepTask extends NightlyStepTask<StepProps> {
  readonly jobName = NIGHTLY_JOBS.pull;

  async perform(props: StepProps): Promise<void> {
    await runPullStep(await requireRun(props.runId));
  }
}
