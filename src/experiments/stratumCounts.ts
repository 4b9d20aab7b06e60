import { Types } from 'mongoose';
import { Assignment } from '../storage/models/Assignment';

/** Learners assigned to each arm within one stratum. */
export interface StratumCount {
  stratum: string;
  total: number;
  /** Arm key (holdout included) -> learners. */
  arms: Record<string, number>;
}

/**
 * Assignment counts per stratum and arm of an experiment (strata by size, largest first), for the
 * results page: shows that arms are balanced within each dropout-risk or behaviour-cluster stratum.
 */
export async function stratumCounts(experimentId: string | Types.ObjectId): Promise<StratumCount[]> {
  const rows = await Assignment.aggregate<{ _id: { s: string; a: string }; n: number }>([
    { $match: { experimentId: new Types.ObjectId(String(experimentId)) } },
    { $group: { _id: { s: '$stratum', a: '$arm' }, n: { $sum: 1 } } },
  ]);
  const byStratum = new Map<string, StratumCount>();
  for (const row of rows) {
    const entry = byStratum.get(row._id.s) ?? { stratum: row._id.s, total: 0, arms: {} };
    entry.arms[row._id.a] = row.n;
    entry.total += row.n;
    byStratum.set(row._id.s, entry);
  }
  return [...byStratum.values()].sort((a, b) => b.total - a.total || a.stratum.localeCompare(b.stratum));
}
