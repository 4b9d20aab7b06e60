import { squaredDistance } from '../linearAlgebra';
import { SeededRandom } from '../random';

/** Options of `kmeans`. */
export interface KMeansOptions {
  /** Number of clusters (>= 1, <= number of points). */
  k: number;
  /** Seed of the k-means++ draws. Default 1. */
  seed?: number;
  /** Independent k-means++ starts; the lowest inertia wins. Default 5. */
  restarts?: number;
  /** Lloyd iterations per start. Default 100. */
  maxIterations?: number;
  /** Candidates tried per new centre (greedy k-means++, 2 + ln k when omitted). */
  localTrials?: number;
}

/** A k-means solution: centroids, each point's cluster and the within-cluster sum of squares. */
export interface KMeansResult {
  centroids: number[][];
  assignments: Int32Array;
  inertia: number;
  iterations: number;
}

/**
 * k-means with k-means++ seeding (Arthur and Vassilvitskii 2007; the greedy variant that tries
 * 2 + ln k candidates per centre and keeps the one lowering the potential most) and Lloyd
 * iterations, best of `restarts` starts. Points are rows of equal length. Deterministic for a seed.
 */
export function kmeans(points: number[][], options: KMeansOptions): KMeansResult {
  const n = points.length;
  const { k } = options;
  if (!Number.isInteger(k) || k < 1) throw new Error(`k must be a positive integer, got ${k}`);
  if (n < k) throw new Error(`k-means needs at least k=${k} points, got ${n}`);
  const random = new SeededRandom(options.seed ?? 1);
  let best: KMeansResult | undefined;
  for (let r = 0; r < (options.restarts ?? 5); r++) {
    const centroids = seedPlusPlus(points, k, random, options.localTrials ?? 2 + Math.floor(Math.log(k)));
    const result = lloyd(points, centroids, options.maxIterations ?? 100);
    if (!best || result.inertia < best.inertia) best = result;
  }
  return best!;
}

/** k-means++ seeding: first centre uniform, each next one drawn with probability proportional to D(x)^2. */
export function seedPlusPlus(points: number[][], k: number, random: SeededRandom, localTrials = 1): number[][] {
  const n = points.length;
  const centres = [points[random.int(n)].slice()];
  const closest = new Float64Array(n);
  let potential = 0;
  for (let i = 0; i < n; i++) potential += closest[i] = squaredDistance(points[i], centres[0]);
  while (centres.length < k) {
    let bestIndex = -1;
    let bestPotential = Infinity;
    let bestClosest: Float64Array | undefined;
    for (let t = 0; t < localTrials; t++) {
      const candidate = potential > 0 ? drawByWeight(closest, potential, random) : random.int(n);
      const next = new Float64Array(n);
      let sum = 0;
      for (let i = 0; i < n; i++) sum += next[i] = Math.min(closest[i], squaredDistance(points[i], points[candidate]));
      if (sum < bestPotential) {
        bestPotential = sum;
        bestIndex = candidate;
        bestClosest = next;
      }
    }
    centres.push(points[bestIndex].slice());
    closest.set(bestClosest!);
    potential = bestPotential;
  }
  return centres;
}

function drawByWeight(weights: Float64Array, total: number, random: SeededRandom): number {
  let target = random.next() * total;
  for (let i = 0; i < weights.length; i++) {
    target -= weights[i];
    if (target < 0) return i;
  }
  return weights.length - 1;
}

/** Lloyd iterations from given centroids until no point changes cluster. Empty clusters take the farthest point. */
export function lloyd(points: number[][], start: number[][], maxIterations: number): KMeansResult {
  const n = points.length;
  const k = start.length;
  const dims = points[0]?.length ?? 0;
  const centroids = start.map((c) => c.slice());
  const assignments = new Int32Array(n).fill(-1);
  const distances = new Float64Array(n);
  let iterations = 0;
  for (; iterations < maxIterations; iterations++) {
    let changed = 0;
    for (let i = 0; i < n; i++) {
      let bestC = 0;
      let bestD = Infinity;
      for (let c = 0; c < k; c++) {
        const d = squaredDistance(points[i], centroids[c]);
        if (d < bestD) {
          bestD = d;
          bestC = c;
        }
      }
      distances[i] = bestD;
      if (assignments[i] !== bestC) {
        assignments[i] = bestC;
        changed++;
      }
    }
    if (changed === 0 && iterations > 0) break;
    const sums = Array.from({ length: k }, () => new Float64Array(dims));
    const counts = new Int32Array(k);
    for (let i = 0; i < n; i++) {
      const c = assignments[i];
      counts[c]++;
      for (let d = 0; d < dims; d++) sums[c][d] += points[i][d];
    }
    for (let c = 0; c < k; c++) {
      if (counts[c] === 0) {
        let far = 0;
        for (let i = 1; i < n; i++) if (distances[i] > distances[far]) far = i;
        centroids[c] = points[far].slice();
        distances[far] = 0;
        continue;
      }
      for (let d = 0; d < dims; d++) centroids[c][d] = sums[c][d] / counts[c];
    }
  }
  let inertia = 0;
  for (let i = 0; i < n; i++) inertia += squaredDistance(points[i], centroids[assignments[i]]);
  return { centroids, assignments, inertia, iterations };
}

/** Index of the nearest centroid to a point. */
export function nearestCentroid(point: number[], centroids: number[][]): number {
  let best = 0;
  let bestD = Infinity;
  centroids.forEach((c, i) => {
    const d = squaredDistance(point, c);
    if (d < bestD) {
      bestD = d;
      best = i;
    }
  });
  return best;
}
