import type { BehaviourProfile } from './behaviourProfile';

/** Names of the clustering inputs, in column order (after the per-week block). */
export const BEHAVIOUR_COLUMNS = [
  'activeDays',
  'activeSpan',
  'videoMinutesPerSession',
  'pausesPerVideoHour',
  'seeksPerVideoHour',
  'forumReadsPerSession',
  'forumPostsPerSession',
  'problemsPerSession',
  'correctRatio',
  'revisionsPerProblem',
  'sessionsPerActiveDay',
  'sessionMinutes',
] as const;

/** Weight of the "when" block (active days per week) relative to one "how" column. */
const WHEN_BLOCK_WEIGHT = 1;

/**
 * A rate numerator/denominator with the evidence (in denominator units) that weighs as much as the
 * learner's own: rates of learners with little evidence are pulled toward the course's rate, so a
 * learner who answered one question is not "0% correct" but close to the course average.
 */
interface Rate {
  num: (p: BehaviourProfile) => number;
  den: (p: BehaviourProfile) => number;
  prior: number;
  scale?: (x: number) => number;
}

const posts = (p: BehaviourProfile) => p.forumThreads + p.forumReplies;
const RATES: Rate[] = [
  { num: (p) => p.videoMinutes, den: (p) => p.sessions, prior: 3, scale: Math.log1p },
  { num: (p) => p.videoPauses, den: (p) => p.videoMinutes / 60, prior: 0.5, scale: Math.log1p },
  { num: (p) => p.videoSeeks, den: (p) => p.videoMinutes / 60, prior: 0.5, scale: Math.log1p },
  { num: (p) => Math.max(0, p.forumEvents - posts(p)), den: (p) => p.sessions, prior: 3, scale: Math.log1p },
  { num: (p) => 10 * posts(p), den: (p) => p.sessions, prior: 3, scale: Math.log1p },
  { num: (p) => p.problemsAttempted, den: (p) => p.sessions, prior: 3, scale: Math.log1p },
  { num: (p) => p.problemsCorrect, den: (p) => p.problemsAttempted, prior: 5 },
  { num: (p) => p.problemRevisions, den: (p) => p.problemsAttempted, prior: 5 },
  { num: (p) => p.sessions, den: (p) => p.activeDays, prior: 2 },
  { num: (p) => p.timeOnTaskMinutes, den: (p) => p.sessions, prior: 3, scale: Math.log1p },
];

/**
 * Turns profiles into the matrix k-means runs on. Volume enters once (active days, log scale) with
 * the span of activity and the per-week "when" block; every other input is a rate (per session, per
 * video hour, per answer) shrunk toward the course rate by its evidence, so learners who act alike
 * group together however often they come. Columns are standardized (mean 0, sd 1; constant columns
 * become 0) and the per-week block is scaled to weigh as `WHEN_BLOCK_WEIGHT` columns whatever the
 * course length.
 */
export function behaviourMatrix(profiles: readonly BehaviourProfile[]): number[][] {
  const weeks = profiles[0]?.weekActiveDays.length ?? 0;
  const population = RATES.map((rate) => {
    let num = 0;
    let den = 0;
    for (const p of profiles) {
      num += rate.num(p);
      den += rate.den(p);
    }
    return den > 0 ? num / den : 0;
  });
  const raw = profiles.map((p) => {
    const rates = RATES.map((rate, i) => {
      const value = (rate.num(p) + rate.prior * population[i]) / (rate.den(p) + rate.prior);
      return rate.scale ? rate.scale(value) : value;
    });
    const span = weeks > 1 ? Math.max(0, p.lastActiveWeek) / (weeks - 1) : 0;
    return [...p.weekActiveDays.map((d) => d / 7), Math.log1p(p.activeDays), span, ...rates];
  });
  const columns = raw[0]?.length ?? 0;
  const whenScale = weeks > 0 ? Math.sqrt(WHEN_BLOCK_WEIGHT / weeks) : 1;
  for (let c = 0; c < columns; c++) {
    let mean = 0;
    for (const row of raw) mean += row[c];
    mean /= raw.length;
    let variance = 0;
    for (const row of raw) variance += (row[c] - mean) ** 2;
    const sd = Math.sqrt(variance / raw.length);
    const scale = c < weeks ? whenScale : 1;
    for (const row of raw) row[c] = sd > 1e-12 ? ((row[c] - mean) / sd) * scale : 0;
  }
  return raw;
}
