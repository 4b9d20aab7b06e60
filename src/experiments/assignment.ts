import crypto from 'node:crypto';

/** The arm key held-out learners get. */
export const HOLDOUT_ARM = 'holdout';

/** Dropout-risk strata for stratified experiments (fixed cut points on the predicted probability). */
export const STRATA = ['low', 'medium', 'high', 'unscored'] as const;
/**
 * A learner's stratum: `all` when the experiment is not stratified, else the dropout-risk stratum, the
 * behaviour cluster's label (or `unclustered`), or both joined by `STRATUM_SEPARATOR`.
 */
export type Stratum = string;
export const STRATUM_SEPARATOR = ' · ';
/** The stratum of learners who have no behaviour cluster yet (joined after the latest clustering). */
export const UNCLUSTERED = 'unclustered';

/** Stratum of a predicted dropout probability: < 1/3 low, < 2/3 medium, else high; no score → unscored. */
export function dropoutStratum(dropout: number | null | undefined): Stratum {
  if (dropout == null || !Number.isFinite(dropout)) return 'unscored';
  if (dropout < 1 / 3) return 'low';
  if (dropout < 2 / 3) return 'medium';
  return 'high';
}

/** A uniform number in [0, 1) from (salt, learner): SHA-256, first 52 bits. The same inputs give the same number on any machine. */
export function assignmentUnit(salt: string, learnerId: string): number {
  const hex = crypto.createHash('sha256').update(`${salt}:${learnerId}`).digest('hex').slice(0, 13);
  return parseInt(hex, 16) / 2 ** 52;
}

export interface WeightedArm {
  key: string;
  weight: number;
}

/** The arm a unit number falls in, cutting [0, 1) in proportion to the weights. */
export function armAt(arms: readonly WeightedArm[], unit: number): string {
  const total = arms.reduce((s, a) => s + a.weight, 0);
  if (!(total > 0)) throw new RangeError('arms need a positive total weight');
  let edge = 0;
  for (const arm of arms) {
    edge += arm.weight / total;
    if (unit < edge) return arm.key;
  }
  return arms[arms.length - 1].key;
}

/**
 * Unstratified assignment, a pure function of (salt, learner): the holdout takes the bottom `holdout`
 * share of the unit interval; the rest is rescaled and cut by the arms' weights.
 */
export function hashedArm(salt: string, learnerId: string, arms: readonly WeightedArm[], holdout: number): string {
  const unit = assignmentUnit(salt, learnerId);
  if (unit < holdout) return HOLDOUT_ARM;
  return armAt(arms, (unit - holdout) / (1 - holdout));
}

/** Whether a learner is held out (same cut as hashedArm, so stratified and plain designs agree on the holdout). */
export function isHeldOut(salt: string, learnerId: string, holdout: number): boolean {
  return assignmentUnit(salt, learnerId) < holdout;
}

/**
 * Deals arms for positions `from .. from + count - 1` of a stratum by smooth weighted round-robin, so after
 * any number of learners each arm's count is within one of its weighted share (balanced strata).
 */
export function dealArms(arms: readonly WeightedArm[], from: number, count: number): string[] {
  const total = arms.reduce((s, a) => s + a.weight, 0);
  if (!(total > 0)) throw new RangeError('arms need a positive total weight');
  const current = arms.map(() => 0);
  const out: string[] = [];
  for (let position = 0; position < from + count; position++) {
    let best = 0;
    for (let i = 0; i < arms.length; i++) {
      current[i] += arms[i].weight;
      if (current[i] > current[best]) best = i;
    }
    current[best] -= total;
    if (position >= from) out.push(arms[best].key);
  }
  return out;
}
