import { finishScoreStep } from '../../src/scoring/finishRun';
import { requireRun } from '../../src/scoring/runState';
import { NIGHTLY_JOBS, type StepProps } from './nightlyStages';
import { NightlyStepTask } from './NightlyStepTask';

/** Closes the score step once every partition is scored: run means, course "what would help", Course.lastScoredRunDate. */
export class ScoreStepTask extends NightlyStepTask<StepProps> {
  readonly jobName = NIGHTLY_JOBS.score;

  async perform(props: StepProps): Promise<void> {
    await finishScoreStep(await requireRun(props.runId));
  }
}
