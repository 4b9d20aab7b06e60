import { Types } from 'mongoose';
import { dayNumber } from '../domain/activity';
import { NotFoundError } from '../errors';
import { log } from '../log';
import { Assignment, assignmentKey } from '../storage/models/Assignment';
import { Experiment, ExperimentDoc } from '../storage/models/Experiment';
import { ExperimentOutcome } from '../storage/models/ExperimentOutcome';
import type { CourseActivityReader } from './activitySource';
import { learnerOutcome, LearnerOutcome } from './learnerOutcome';

const BATCH = 2000;

export interface OutcomeRun {
  experimentId: string;
  fromDay: number;
  toDay: number;
  learners: number;
  /** Assigned learners with no activity in the window (written with zero outcomes). */
  withoutActivity: number;
  /** Activity rows for learners not assigned in this experiment (ignored). */
  ignored: number;
}

/**
 * Computes every assigned learner's outcomes over the experiment window — from its start day to its
 * stop day, or to `throughDay` (default: yesterday, the last complete UTC day) while it runs — from the
 * course's daily activity, and replaces the stored ones (keyed per experiment and learner), so reruns are idempotent.
 * Returns null when the window has no complete day yet.
 */
export async function computeExperimentOutcomes(props: { experimentId: string; reader: CourseActivityReader; throughDay?: number; now?: Date }): Promise<OutcomeRun | null> {
  const experiment = await Experiment.findById(props.experimentId).lean<ExperimentDoc>();
  if (!experiment) throw NotFoundError(`No experiment ${props.experimentId}.`);
  if (experiment.startDay == null) return null;
  const fromDay = experiment.startDay;
  const limit = props.throughDay ?? dayNumber(props.now ?? new Date()) - 1;
  const toDay = experiment.endDay != null ? Math.min(experiment.endDay, limit) : limit;
  if (toDay < fromDay) return null;

  const assigned = new Map<string, { arm: string; stratum: string }>();
  for await (const a of Assignment.find({ experimentId: experiment._id }).select({ learnerId: 1, arm: 1, stratum: 1 }).lean().cursor({ batchSize: 5000 })) {
    assigned.set(String(a.learnerId), { arm: a.arm, stratum: a.stratum });
  }
  const window = { fromDay, toDay };
  let pending: Array<{ learnerId: string; outcome: LearnerOutcome }> = [];
  const write = async () => {
    const slice = pending;
    pending = [];
    if (!slice.length) return;
    await ExperimentOutcome.insertMany(
      slice.map(({ learnerId, outcome }) => {
        const a = assigned.get(learnerId)!;
        return { _id: assignmentKey(experiment._id, learnerId), experimentId: experiment._id, learnerId: new Types.ObjectId(learnerId), arm: a.arm, stratum: a.stratum, fromDay, toDay, ...outcome };
      }),
      { ordered: false },
    );
  };
  // Outcomes are replaced wholesale (delete, then batched inserts): FerretDB 1.24 stalls on large unordered update batches.
  await ExperimentOutcome.deleteMany({ experimentId: experiment._id });
  const seen = new Set<string>();
  let ignored = 0;
  for await (const row of props.reader(String(experiment.courseId), window)) {
    const learnerId = String(row.learnerId);
    if (!assigned.has(learnerId) || seen.has(learnerId)) {
      ignored++;
      continue;
    }
    seen.add(learnerId);
    pending.push({ learnerId, outcome: learnerOutcome(row.days, window) });
    if (pending.length >= BATCH) await write();
  }
  let withoutActivity = 0;
  for (const learnerId of assigned.keys()) {
    if (seen.has(learnerId)) continue;
    withoutActivity++;
    pending.push({ learnerId, outcome: learnerOutcome([], window) });
    if (pending.length >= BATCH) await write();
  }
  await write();
  await Experiment.updateOne({ _id: experiment._id }, { $set: { outcomesComputedAt: new Date(), outcomesThroughDay: toDay } });
  const run: OutcomeRun = { experimentId: String(experiment._id), fromDay, toDay, learners: assigned.size, withoutActivity, ignored };
  log.info(run, 'experiment outcomes computed');
  return run;
}
