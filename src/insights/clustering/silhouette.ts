import { SeededRandom } from '../random';

/**
 * Mean silhouette coefficient (Rousseeuw 1987) of a labelling, with Euclidean distance: for each
 * point, a = mean distance to the other points of its cluster, b = mean distance to the points of
 * the nearest other cluster, s = (b - a) / max(a, b) (0 for a point alone in its cluster).
 * Costs O(m^2) in the points scored: above `sampleSize` points it scores a seeded random sample,
 * as scikit-learn's `sample_size` does. Needs 2 <= clusters <= points - 1, else returns NaN.
 */
export function silhouetteScore(points: number[][], labels: ArrayLike<number>, options: { sampleSize?: number; seed?: number } = {}): number {
  const n = points.length;
  const sampleSize = options.sampleSize ?? 2000;
  let index = Array.from({ length: n }, (_, i) => i);
  if (n > sampleSize) {
    const random = new SeededRandom(options.seed ?? 7);
    for (let i = n - 1; i > 0; i--) {
      const j = random.int(i + 1);
      [index[i], index[j]] = [index[j], index[i]];
    }
    index = index.slice(0, sampleSize);
  }
  const clusterIds = [...new Set(index.map((i) => labels[i]))];
  if (clusterIds.length < 2 || clusterIds.length > index.length - 1) return NaN;
  const slot = new Map(clusterIds.map((c, i) => [c, i]));
  const sizes = new Array<number>(clusterIds.length).fill(0);
  for (const i of index) sizes[slot.get(labels[i])!]++;
  let total = 0;
  const sums = new Float64Array(clusterIds.length);
  for (const i of index) {
    sums.fill(0);
    for (const j of index) {
      if (i === j) continue;
      sums[slot.get(labels[j])!] += Math.sqrt(distance2(points[i], points[j]));
    }
    const own = slot.get(labels[i])!;
    if (sizes[own] <= 1) continue;
    const a = sums[own] / (sizes[own] - 1);
    let b = Infinity;
    for (let c = 0; c < sizes.length; c++) if (c !== own && sizes[c] > 0) b = Math.min(b, sums[c] / sizes[c]);
    const s = Math.max(a, b) > 0 ? (b - a) / Math.max(a, b) : 0;
    total += s;
  }
  return total / index.length;
}

function distance2(a: number[], b: number[]): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) {
    const d = a[i] - b[i];
    sum += d * d;
  }
  return sum;
}
