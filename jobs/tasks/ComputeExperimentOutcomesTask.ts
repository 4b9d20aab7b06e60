import { storedActivity } from '../../src/experiments/activitySource';
import { computeExperimentOutcomes, OutcomeRun } from '../../src/experiments/computeExperimentOutcomes';
import { Experiment } from '../../src/storage/models/Experiment';
import { BaseTask } from '../BaseTask';

export interface ComputeExperimentOutcomesProps {
  courseId: string;
}

/**
 * Recomputes the outcomes of a course's running experiment and of stopped ones whose outcomes do not yet
 * reach their last day, from ingest's daily activity. Idempotent upserts, so retries are safe.
 */
export class ComputeExperimentOutcomesTask extends BaseTask<ComputeExperimentOutcomesProps> {
  readonly jobName = 'experiments.computeOutcomes';
  readonly queue = 'nightly' as const;

  async perform(props: ComputeExperimentOutcomesProps) {
    const experiments = await Experiment.find({ courseId: props.courseId, status: { $in: ['running', 'stopped'] } }).select({ status: 1, endDay: 1, outcomesThroughDay: 1 }).lean();
    const runs: OutcomeRun[] = [];
    for (const e of experiments) {
      if (e.status === 'stopped' && e.outcomesThroughDay != null && e.endDay != null && e.outcomesThroughDay >= e.endDay) continue;
      const run = await computeExperimentOutcomes({ experimentId: String(e._id), reader: storedActivity });
      if (run) runs.push(run);
    }
    return { experiments: runs.length, learners: runs.reduce((s, r) => s + r.learners, 0) };
  }
}
