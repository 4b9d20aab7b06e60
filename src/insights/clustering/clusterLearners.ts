import { behaviourMatrix } from './behaviourMatrix';
import { BehaviourProfile, behaviourRates } from './behaviourProfile';
import { labelClusters } from './clusterLabels';
import { kmeans, nearestCentroid } from './kmeans';
import { SeededRandom } from '../random';
import { silhouetteScore } from './silhouette';

/** Options of `clusterLearners`. */
export interface ClusterLearnersOptions {
  /**
   * Smallest and largest k tried. Default [3, 8]: k = 2 only splits active from inactive learners
   * (what the dropout prediction already shows) and wins the silhouette on that alone; Feng et al. found 5.
   */
  kRange?: [number, number];
  /** Learners k-means is fitted on (a seeded sample above this; everyone is then assigned to the nearest centroid). Default 5000. */
  fitSample?: number;
  /** Seed of k-means++ and the silhouette sample. Default 1. */
  seed?: number;
  /** Points the silhouette is computed on (a seeded sample above this). Default 1500. */
  silhouetteSample?: number;
  /** Fewest learners for clustering to run. Default 30. */
  minLearners?: number;
}

/** The mean profile of one cluster in interpretable units. */
export interface ClusterProfile {
  activeDays: number;
  /** Mean active days per elapsed course week. */
  weekActiveDays: number[];
  lastActiveWeek: number;
  videoMinutes: number;
  pausesPerVideoHour: number;
  seeksPerVideoHour: number;
  forumEvents: number;
  forumThreads: number;
  forumReplies: number;
  problemsAttempted: number;
  correctRatio: number;
  revisionsPerProblem: number;
  sessions: number;
  sessionMinutes: number;
}

/** One behaviour cluster: who is in it, what they do and how many drop out. */
export interface ClusterSummary {
  /** 0 is the largest cluster. */
  id: number;
  size: number;
  share: number;
  label: string;
  description: string;
  /** Share of the cluster's learners who dropped out (see `dropoutBasis`). */
  dropoutRate: number;
  profile: ClusterProfile;
}

export interface ClusteringResult {
  status: 'ok' | 'too_few_learners';
  k: number;
  silhouetteByK: Array<{ k: number; silhouette: number }>;
  /** `outcome`: recorded outcomes of the learners; `inactivity`: no activity in the last `inactiveDays` days. */
  dropoutBasis: 'outcome' | 'inactivity';
  clusters: ClusterSummary[];
  /** Cluster id per input profile, same order. */
  assignments: number[];
  /** Centroids in the standardized feature space, by cluster id. */
  centroids: number[][];
}

/** Days without activity after which a learner counts as dropped out when no outcome is recorded. */
export const INACTIVE_DAYS = 10;

/**
 * Clusters learners by when and how they are active (Feng, Tang and Liu, AAAI 2019): k-means++ on
 * standardized behaviour features for every k in range, keeping the k with the highest mean
 * silhouette; then profiles, dropout rate and a plain-words label per cluster. `dropouts` gives
 * recorded outcomes per learner id when known; otherwise a learner who has not been active in the
 * last `INACTIVE_DAYS` days before `asOfDay` counts as dropped out.
 */
export function clusterLearners(profiles: readonly BehaviourProfile[], asOfDay: number, dropouts?: ReadonlyMap<string, boolean>, options: ClusterLearnersOptions = {}): ClusteringResult {
  const [kMin, kMax] = options.kRange ?? [3, 8];
  const seed = options.seed ?? 1;
  const dropoutBasis = dropouts && profiles.some((p) => dropouts.has(p.learnerId)) ? 'outcome' : 'inactivity';
  if (profiles.length < Math.max(options.minLearners ?? 30, kMin + 1)) {
    return { status: 'too_few_learners', k: 0, silhouetteByK: [], dropoutBasis, clusters: [], assignments: [], centroids: [] };
  }
  const matrix = behaviourMatrix(profiles);
  const fit = sampleRows(matrix, options.fitSample ?? 5000, seed);
  const silhouetteByK: Array<{ k: number; silhouette: number }> = [];
  let best: { k: number; silhouette: number; centroids: number[][] } | undefined;
  for (let k = kMin; k <= Math.min(kMax, fit.length - 1); k++) {
    const result = kmeans(fit, { k, seed: seed + k, restarts: 4 });
    const silhouette = silhouetteScore(fit, result.assignments, { sampleSize: options.silhouetteSample ?? 1200, seed });
    silhouetteByK.push({ k, silhouette: round(silhouette, 4) });
    if (!best || silhouette > best.silhouette) best = { k, silhouette, centroids: result.centroids };
  }
  const assignments = matrix.map((row) => nearestCentroid(row, best!.centroids));
  const isDropout = (p: BehaviourProfile) => (dropoutBasis === 'outcome' ? dropouts!.get(p.learnerId) === true : p.lastActiveDay === null || p.lastActiveDay < asOfDay - INACTIVE_DAYS + 1);

  const members = Array.from({ length: best!.k }, () => [] as BehaviourProfile[]);
  assignments.forEach((c, i) => members[c].push(profiles[i]));
  const order = members.map((m, c) => ({ c, size: m.length })).sort((a, b) => b.size - a.size || a.c - b.c);
  const renumber = new Map(order.map((o, i) => [o.c, i]));
  const clusters = order.map(({ c }, id) => {
    const group = members[c];
    return { id, size: group.length, share: round(group.length / profiles.length, 4), dropoutRate: round(group.filter(isDropout).length / Math.max(1, group.length), 4), profile: meanProfile(group), label: '', description: '' };
  });
  const overall = meanProfile(profiles);
  const overallDropout = profiles.filter(isDropout).length / profiles.length;
  labelClusters(clusters, overall, overallDropout);
  return {
    status: 'ok',
    k: best!.k,
    silhouetteByK,
    dropoutBasis,
    clusters,
    assignments: assignments.map((c) => renumber.get(c)!),
    centroids: order.map(({ c }) => best!.centroids[c].map((x) => round(x, 5))),
  };
}

/** Mean profile of a group of learners. */
export function meanProfile(group: readonly BehaviourProfile[]): ClusterProfile {
  const n = Math.max(1, group.length);
  const weeks = group[0]?.weekActiveDays.length ?? 0;
  const sum = (f: (p: BehaviourProfile) => number) => group.reduce((s, p) => s + f(p), 0) / n;
  const rate = (f: (r: ReturnType<typeof behaviourRates>) => number) => sum((p) => f(behaviourRates(p)));
  return {
    activeDays: round(sum((p) => p.activeDays), 2),
    weekActiveDays: Array.from({ length: weeks }, (_, w) => round(sum((p) => p.weekActiveDays[w]), 2)),
    lastActiveWeek: round(sum((p) => p.lastActiveWeek), 2),
    videoMinutes: round(sum((p) => p.videoMinutes), 1),
    pausesPerVideoHour: round(rate((r) => r.pausesPerVideoHour), 2),
    seeksPerVideoHour: round(rate((r) => r.seeksPerVideoHour), 2),
    forumEvents: round(sum((p) => p.forumEvents), 2),
    forumThreads: round(sum((p) => p.forumThreads), 2),
    forumReplies: round(sum((p) => p.forumReplies), 2),
    problemsAttempted: round(sum((p) => p.problemsAttempted), 2),
    correctRatio: round(rate((r) => r.correctRatio), 3),
    revisionsPerProblem: round(rate((r) => r.revisionsPerProblem), 3),
    sessions: round(sum((p) => p.sessions), 2),
    sessionMinutes: round(rate((r) => r.sessionMinutes), 1),
  };
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** Up to `size` rows drawn without replacement by a seeded shuffle (all rows when fewer). */
function sampleRows(rows: number[][], size: number, seed: number): number[][] {
  if (rows.length <= size) return rows;
  const random = new SeededRandom(seed ^ 0x5bd1e995);
  const index = rows.map((_, i) => i);
  for (let i = 0; i < size; i++) {
    const j = i + random.int(index.length - i);
    [index[i], index[j]] = [index[j], index[i]];
  }
  return index.slice(0, size).map((i) => rows[i]);
}
