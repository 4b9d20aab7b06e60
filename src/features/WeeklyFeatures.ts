import type { DailyActivity } from '../domain/activity';
import { denseDays, type Channel, type Window } from './channels';

/** Which channels and how many trailing weeks the features describe; fixes the feature vector's layout. */
export interface FeatureSpec {
  channels: Channel[];
  /** Trailing 7-day weeks with their own features (week 0 ends on the window's last day). */
  weeks: number;
}

/** A named group of feature columns (one per channel, plus weekly and regularity groups): CFIN attends over these. */
export interface FeatureGroup {
  name: string;
  indices: number[];
}

const PER_CHANNEL = ['total', 'last7', 'days', 'recency', 'share'] as const;
const PER_WEEK = ['events', 'active'] as const;
const OVERALL = [
  'total_events',
  'active_days',
  'active_last3',
  'active_last14',
  'recency',
  'first_seen',
  'active_ratio_since_first',
  'max_gap',
  'mean_gap',
  'streaks',
  'longest_streak',
  'trend',
  'events_per_active_day',
  'last_active_events',
  'inactive',
] as const;

/** Column names of the learner feature vector for a spec, in order. */
export function featureNames(spec: FeatureSpec): string[] {
  const names: string[] = [];
  for (const channel of spec.channels) for (const kind of PER_CHANNEL) names.push(`${channel}_${kind}`);
  for (let w = 0; w < spec.weeks; w++) for (const kind of PER_WEEK) names.push(`week${w}_${kind}`);
  names.push(...OVERALL);
  return names;
}

/** Column groups of the feature vector: one per channel, one for the weekly columns, one for the overall columns. */
export function featureGroups(spec: FeatureSpec): FeatureGroup[] {
  const names = featureNames(spec);
  const groups: FeatureGroup[] = spec.channels.map((channel) => ({ name: channel, indices: [] }));
  const weekly: FeatureGroup = { name: 'weekly', indices: [] };
  const overall: FeatureGroup = { name: 'regularity', indices: [] };
  names.forEach((name, i) => {
    const channel = spec.channels.findIndex((c) => name.startsWith(`${c}_`) && PER_CHANNEL.some((k) => name === `${c}_${k}`));
    if (channel >= 0) groups[channel].indices.push(i);
    else if (name.startsWith('week')) weekly.indices.push(i);
    else overall.indices.push(i);
  });
  return [...groups, weekly, overall];
}

/**
 * Features of one learner over a window, from the learner's daily aggregates (missing days = no activity).
 * Counts are log1p-scaled; day counts, gaps and recencies are in days. A learner with no activity gets
 * recency and first_seen equal to the window length. For a learner who enrolled late, pass the window
 * starting at the enrollment day so gaps and ratios are not charged for days before enrolment.
 */
export function learnerFeatures(days: readonly DailyActivity[], window: Window, spec: FeatureSpec): Float64Array {
  const length = window.end - window.start + 1;
  const { values, totals } = denseDays(days, window, spec.channels);
  const out: number[] = [];
  const lastIndex = (series: Float64Array) => {
    for (let i = length - 1; i >= 0; i--) if (series[i] > 0) return i;
    return -1;
  };
  const sum = (series: Float64Array, from: number, to: number) => {
    let s = 0;
    for (let i = Math.max(0, from); i <= Math.min(length - 1, to); i++) s += series[i];
    return s;
  };
  const countActive = (series: Float64Array, from: number, to: number) => {
    let n = 0;
    for (let i = Math.max(0, from); i <= Math.min(length - 1, to); i++) if (series[i] > 0) n++;
    return n;
  };
  const totalEvents = sum(totals, 0, length - 1);
  for (const series of values) {
    const total = sum(series, 0, length - 1);
    const last = lastIndex(series);
    out.push(
      Math.log1p(total),
      Math.log1p(sum(series, length - 7, length - 1)),
      countActive(series, 0, length - 1),
      last < 0 ? length : length - 1 - last,
      totalEvents > 0 ? total / totalEvents : 0,
    );
  }
  for (let w = 0; w < spec.weeks; w++) {
    const to = length - 1 - 7 * w;
    out.push(Math.log1p(sum(totals, to - 6, to)), countActive(totals, to - 6, to));
  }
  const activeDays = countActive(totals, 0, length - 1);
  const last = lastIndex(totals);
  let first = -1;
  for (let i = 0; i < length; i++) if (totals[i] > 0 && first < 0) first = i;
  const gaps = regularity(totals, first, length);
  const earlier = length - 7 > 0 ? (sum(totals, 0, length - 8) * 7) / (length - 7) : 0;
  out.push(
    Math.log1p(totalEvents),
    activeDays,
    countActive(totals, length - 3, length - 1),
    countActive(totals, length - 14, length - 1),
    last < 0 ? length : length - 1 - last,
    first < 0 ? length : first,
    first < 0 ? 0 : activeDays / (length - first),
    gaps.maxGap,
    gaps.meanGap,
    gaps.streaks,
    gaps.longestStreak,
    Math.log1p(sum(totals, length - 7, length - 1)) - Math.log1p(earlier),
    activeDays > 0 ? Math.log1p(totalEvents / activeDays) : 0,
    last < 0 ? 0 : Math.log1p(totals[last]),
    activeDays === 0 ? 1 : 0,
  );
  return Float64Array.from(out);
}

/**
 * Gaps (runs of inactive days) from the first active day to the window's end, trailing gap included,
 * and streaks (runs of active days). With no activity the whole window is one gap.
 */
function regularity(totals: Float64Array, first: number, length: number) {
  if (first < 0) return { maxGap: length, meanGap: length, streaks: 0, longestStreak: 0 };
  const gapLengths: number[] = [];
  let streaks = 0;
  let longestStreak = 0;
  let run = 0;
  let gap = 0;
  for (let i = first; i < length; i++) {
    if (totals[i] > 0) {
      if (gap > 0) gapLengths.push(gap);
      gap = 0;
      if (run === 0) streaks++;
      run++;
      longestStreak = Math.max(longestStreak, run);
    } else {
      run = 0;
      gap++;
    }
  }
  if (gap > 0) gapLengths.push(gap);
  const maxGap = gapLengths.length ? Math.max(...gapLengths) : 0;
  const meanGap = gapLengths.length ? gapLengths.reduce((a, b) => a + b, 0) / gapLengths.length : 0;
  return { maxGap, meanGap, streaks, longestStreak };
}

/** Per-step features of the weekly sequence: log1p events of each channel, log1p total events, active days. */
export function sequenceStepSize(spec: FeatureSpec): number {
  return spec.channels.length + 2;
}

/**
 * The learner's activity as a sequence of `steps` periods of `stepDays` days, oldest first, ending on the
 * window's last day (periods before the window's start are zeros): the LSTM's input, `steps × sequenceStepSize`.
 */
export function activitySequence(days: readonly DailyActivity[], window: Window, spec: FeatureSpec, steps: number, stepDays = 7): Float64Array {
  const length = window.end - window.start + 1;
  const { values, totals } = denseDays(days, window, spec.channels);
  const size = sequenceStepSize(spec);
  const out = new Float64Array(steps * size);
  for (let s = 0; s < steps; s++) {
    const to = length - 1 - stepDays * (steps - 1 - s);
    const from = to - stepDays + 1;
    const row = s * size;
    for (let i = Math.max(0, from); i <= to; i++) {
      if (i < 0) continue;
      values.forEach((series, c) => (out[row + c] += series[i]));
      out[row + values.length] += totals[i];
      if (totals[i] > 0) out[row + values.length + 1] += 1;
    }
    for (let c = 0; c <= values.length; c++) out[row + c] = Math.log1p(out[row + c]);
  }
  return out;
}
