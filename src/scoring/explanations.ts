import { featureNames } from '../features/WeeklyFeatures';
import type { Outcome } from '../models/Predictor';
import { BASE_WIDTH, type RawRow } from './modelInputs';
import { SCORING_SPEC } from './scoringSpec';

/** A group of features that is explained as one factor, in plain words. */
export interface FactorGroup {
  name: 'inactivity' | 'video' | 'problems' | 'forum' | 'regularity' | 'engagement';
  /** Base feature columns the group swaps for the course median's. */
  base: number[];
  /** Activity-sequence cells the group swaps for the course median sequence's. */
  sequence: number[];
}

/** One explained factor of one outcome, as stored on a Score. */
export interface Factor {
  outcome: Outcome;
  feature: FactorGroup['name'];
  text: string;
  /** Signed contribution to the outcome's log-odds against the course median learner. */
  weight: number;
}

const NAMES = featureNames(SCORING_SPEC);
const col = (name: string) => {
  const index = NAMES.indexOf(name);
  if (index < 0) throw new Error(`unknown feature ${name}`);
  return index;
};
const STEP = SCORING_SPEC.channels.length + 2;
const channelCells = (channels: string[]) =>
  Array.from({ length: SCORING_SPEC.steps }, (_, s) => channels.map((c) => s * STEP + SCORING_SPEC.channels.indexOf(c as never))).flat();
const channelColumns = (channels: string[], exclude: string[] = ['recency']) =>
  NAMES.flatMap((name, j) => (channels.some((c) => name.startsWith(`${c}_`) && !exclude.some((k) => name === `${c}_${k}`)) ? [j] : []));

/**
 * The factors explanations are given in. Each swaps a set of the learner's inputs for the course median
 * learner's; together they cover every base feature once.
 */
export const FACTOR_GROUPS: FactorGroup[] = (() => {
  const lastStep = Array.from({ length: STEP }, (_, k) => (SCORING_SPEC.steps - 1) * STEP + k);
  const groups: FactorGroup[] = [
    {
      name: 'inactivity',
      base: [...['recency', 'inactive', 'active_last3', 'week0_events', 'week0_active', 'last_active_events'].map(col), ...NAMES.flatMap((n, j) => (n.endsWith('_recency') ? [j] : []))],
      sequence: lastStep,
    },
    { name: 'video', base: channelColumns(['video', 'videoSeconds']), sequence: channelCells(['video', 'videoSeconds']) },
    { name: 'problems', base: channelColumns(['problem', 'problemsAttempted', 'problemsCorrect']), sequence: channelCells(['problem', 'problemsAttempted', 'problemsCorrect']) },
    { name: 'forum', base: channelColumns(['forum']), sequence: channelCells(['forum']) },
    {
      name: 'regularity',
      base: [...['active_days', 'active_last14', 'first_seen', 'active_ratio_since_first', 'max_gap', 'mean_gap', 'streaks', 'longest_streak'].map(col), ...channelColumns(['sessions'])],
      sequence: [...Array.from({ length: SCORING_SPEC.steps }, (_, s) => s * STEP + STEP - 1), ...channelCells(['sessions'])],
    },
  ];
  const taken = new Set(groups.flatMap((g) => g.base));
  groups.push({
    name: 'engagement',
    base: NAMES.flatMap((_, j) => (taken.has(j) ? [] : [j])),
    sequence: [...Array.from({ length: SCORING_SPEC.steps }, (_, s) => s * STEP + STEP - 2), ...channelCells(['navigate', 'access', 'page_close'])],
  });
  return groups;
})();

/** The learner's inputs with one factor group set to the course median learner's (the occlusion attribution's counterfactual). */
export function withMedianGroup(row: RawRow, median: RawRow, group: FactorGroup): RawRow {
  const base = Float32Array.from(row.base);
  const sequence = Float32Array.from(row.sequence);
  for (const j of group.base) base[j] = median.base[j];
  for (const k of group.sequence) sequence[k] = median.sequence[k];
  return { base, sequence };
}

const logit = (p: number) => {
  const q = Math.min(1 - 1e-6, Math.max(1e-6, p));
  return Math.log(q / (1 - q));
};

/**
 * Attribution against the course median learner: a factor's weight is how much the model's log-odds
 * for the outcome move when that factor's inputs are the learner's own instead of the median learner's.
 * Returns the `top` factors by absolute weight (at least `minWeight`), strongest first, in plain words.
 */
export function explain(outcome: Outcome, probability: number, withMedian: readonly number[], row: RawRow, median: RawRow, top = 3, minWeight = 0.05): Factor[] {
  return FACTOR_GROUPS.map((group, g) => ({ group, weight: logit(probability) - logit(withMedian[g]) }))
    .filter((f) => Number.isFinite(f.weight) && Math.abs(f.weight) >= minWeight)
    .sort((a, b) => Math.abs(b.weight) - Math.abs(a.weight))
    .slice(0, top)
    .map((f) => ({ outcome, feature: f.group.name, text: describe(f.group.name, row, median), weight: Math.round(f.weight * 1000) / 1000 }));
}

const value = (row: RawRow, name: string) => row.base[col(name)];
const counted = (logValue: number) => Math.expm1(logValue);

/** Compares a learner's figure with the course median's in words. */
function relation(mine: number, median: number): string {
  if (median <= 0) return mine > 0 ? 'above the course median' : 'at the course median';
  const ratio = mine / median;
  if (ratio < 0.25) return 'far below the course median';
  if (ratio < 0.8) return 'below the course median';
  if (ratio <= 1.25) return 'about the course median';
  if (ratio <= 4) return 'above the course median';
  return 'far above the course median';
}

/** Plain words for a factor, from the learner's own values and the course median learner's. */
export function describe(name: FactorGroup['name'], row: RawRow, median: RawRow): string {
  switch (name) {
    case 'inactivity': {
      if (value(row, 'inactive') >= 1) return 'no activity since enrolling';
      const days = Math.round(value(row, 'recency'));
      return days >= 2 ? `no activity for ${days} days` : 'active in the last two days';
    }
    case 'video': {
      const mine = counted(value(row, 'videoSeconds_total')) / 60;
      const med = counted(value(median, 'videoSeconds_total')) / 60;
      return `video time ${relation(mine, med)} (${Math.round(mine)} min vs ${Math.round(med)} min)`;
    }
    case 'problems': {
      const mine = counted(value(row, 'problemsAttempted_total'));
      const med = counted(value(median, 'problemsAttempted_total'));
      return `problems attempted ${relation(mine, med)} (${Math.round(mine)} vs ${Math.round(med)})`;
    }
    case 'forum': {
      const mine = counted(value(row, 'forum_total'));
      const med = counted(value(median, 'forum_total'));
      return mine === 0 && med === 0 ? 'no forum activity, like most of the course' : `forum activity ${relation(mine, med)} (${Math.round(mine)} vs ${Math.round(med)} events)`;
    }
    case 'regularity': {
      const mine = Math.round(value(row, 'active_days'));
      const med = Math.round(value(median, 'active_days'));
      return `active on ${mine} day${mine === 1 ? '' : 's'} (course median ${med})`;
    }
    case 'engagement': {
      const trend = value(row, 'trend');
      if (trend <= -0.7) return 'activity falling sharply week on week';
      if (trend >= 0.7) return 'activity rising week on week';
      const mine = counted(value(row, 'total_events'));
      const med = counted(value(median, 'total_events'));
      return `overall activity ${relation(mine, med)} (${Math.round(mine)} vs ${Math.round(med)} events)`;
    }
  }
}

/** Sanity check used at module load: every base feature belongs to exactly one factor group. */
function assertCoverage(): void {
  const seen = new Map<number, string>();
  for (const g of FACTOR_GROUPS) for (const j of g.base) {
    if (seen.has(j)) throw new Error(`feature ${NAMES[j]} is in factor groups ${seen.get(j)} and ${g.name}`);
    seen.set(j, g.name);
  }
  if (seen.size !== BASE_WIDTH) throw new Error('factor groups do not cover every feature');
}
assertCoverage();
