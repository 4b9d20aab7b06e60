/**
 * CFIN-style context statistics: every learner feature restated relative to the course's population
 * (z-score, percentile, difference to the median; features are log-scaled, so that difference is a
 * log ratio to the median) and, when the learner has other courses, relative to the learner's own mean.
 */

/** Per-feature statistics of a population (one course, one week). Plain arrays so they store as JSON. */
export interface PopulationStats {
  size: number;
  mean: number[];
  std: number[];
  median: number[];
  /** Sorted sample of each feature's values (at most `maxSample` points) for percentiles. */
  sorted: number[][];
}

/** Statistics of each column over a population of feature rows. */
export function populationStats(rows: readonly ArrayLike<number>[], maxSample = 1001): PopulationStats {
  if (rows.length === 0) throw new RangeError('populationStats needs at least one row');
  const width = rows[0].length;
  const stats: PopulationStats = { size: rows.length, mean: [], std: [], median: [], sorted: [] };
  const column = new Float64Array(rows.length);
  for (let j = 0; j < width; j++) {
    let sum = 0;
    for (let i = 0; i < rows.length; i++) sum += column[i] = rows[i][j];
    const mean = sum / rows.length;
    let sq = 0;
    for (let i = 0; i < rows.length; i++) sq += (column[i] - mean) ** 2;
    const sorted = Array.from(column).sort((a, b) => a - b);
    stats.mean.push(mean);
    stats.std.push(Math.sqrt(sq / rows.length));
    stats.median.push(quantile(sorted, 0.5));
    stats.sorted.push(sorted.length <= maxSample ? sorted : Array.from({ length: maxSample }, (_, k) => sorted[Math.round((k * (sorted.length - 1)) / (maxSample - 1))]));
  }
  return stats;
}

function quantile(sorted: number[], q: number): number {
  const position = (sorted.length - 1) * q;
  const lo = Math.floor(position);
  const hi = Math.ceil(position);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (position - lo);
}

/** Mid-rank percentile of a value in a sorted sample: share below plus half the share equal, in [0, 1]. */
export function percentile(sorted: readonly number[], value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] < value) lo = mid + 1;
    else hi = mid;
  }
  let upper = lo;
  while (upper < sorted.length && sorted[upper] === value) upper++;
  return (lo + (upper - lo) / 2) / sorted.length;
}

/** Context feature names for base feature names: `<name>_z`, `<name>_pct`, `<name>_dmed`. */
export function contextNames(names: readonly string[]): string[] {
  return [...names.map((n) => `${n}_z`), ...names.map((n) => `${n}_pct`), ...names.map((n) => `${n}_dmed`)];
}

/** A learner's features relative to the population: z-scores, then percentiles, then differences to the median. */
export function contextFeatures(row: ArrayLike<number>, stats: PopulationStats): Float64Array {
  const width = row.length;
  const out = new Float64Array(width * 3);
  for (let j = 0; j < width; j++) {
    out[j] = stats.std[j] > 1e-9 ? (row[j] - stats.mean[j]) / stats.std[j] : 0;
    out[width + j] = percentile(stats.sorted[j], row[j]);
    out[2 * width + j] = row[j] - stats.median[j];
  }
  return out;
}

/**
 * The learner's features relative to the same learner's other courses: the mean over those courses and the
 * difference to it (zeros when there are none, e.g. KDD daily data, which has no user id).
 */
export function crossCourseFeatures(row: ArrayLike<number>, otherCourses: readonly ArrayLike<number>[]): Float64Array {
  const width = row.length;
  const out = new Float64Array(width * 2);
  if (otherCourses.length === 0) return out;
  for (let j = 0; j < width; j++) {
    let sum = 0;
    for (const other of otherCourses) sum += other[j];
    out[j] = sum / otherCourses.length;
    out[width + j] = row[j] - out[j];
  }
  return out;
}
