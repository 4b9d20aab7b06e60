import type { AnyTask } from '../BaseTask';
import { AggregateStepTask } from './AggregateStepTask';
import { EmitStepTask } from './EmitStepTask';
import { FeaturesPartitionTask } from './FeaturesPartitionTask';
import { FeaturesStepTask } from './FeaturesStepTask';
import { NightlyCourseRunTask } from './NightlyCourseRunTask';
import { PullStepTask } from './PullStepTask';
import { ScorePartitionTask } from './ScorePartitionTask';
import { ScoreStepTask } from './ScoreStepTask';

/** The tasks of the nightly course pipeline (all on the `nightly` queue). */
export function nightlyTasks(): AnyTask[] {
  return [
    new NightlyCourseRunTask(),
    new PullStepTask(),
    new AggregateStepTask(),
    new FeaturesPartitionTask(),
    new FeaturesStepTask(),
    new ScorePartitionTask(),
    new ScoreStepTask(),
    new EmitStepTask(),
  ];
}
