import type { GroupCounts } from '../../../experiments/analyzeExperiment';
import type { StratumCount } from '../../../experiments/stratumCounts';

/** Template data for the results page's per-stratum table: one row per stratum, one cell per group in the groups' order. */
export function strataView(strata: StratumCount[], groups: GroupCounts[]) {
  return {
    headers: groups.map((g) => g.label),
    rows: strata.map((s) => ({ stratum: s.stratum, total: s.total, cells: groups.map((g) => s.arms[g.key] ?? 0) })),
  };
}
