import type { ExperimentDoc } from '../../../storage/models/Experiment';

/** An experiment as the instructor API shows it (no salt: it would let anyone recompute assignments). */
export function presentExperiment(e: ExperimentDoc) {
  return {
    id: String(e._id),
    name: e.name,
    status: e.status,
    arms: e.arms.map((a) => ({ key: a.key, label: a.label, strategy: a.strategy, weight: a.weight, neutralMessage: a.neutralMessage ?? null })),
    holdout: e.holdout,
    stratifyByDropout: e.stratifyByDropout,
    stratifyByCluster: Boolean(e.stratifyByCluster),
    startedAt: e.startedAt ?? null,
    stoppedAt: e.stoppedAt ?? null,
    optedOut: e.optedOutCount ?? 0,
    outcomesComputedAt: e.outcomesComputedAt ?? null,
  };
}
