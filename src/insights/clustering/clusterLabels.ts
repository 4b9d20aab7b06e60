import type { ClusterProfile, ClusterSummary } from './clusterLearners';

type Trait = 'video' | 'forum' | 'reviser' | 'early';

const TRAIT_LABELS: Record<Trait, string> = {
  video: 'Steady video watchers',
  forum: 'Forum-active learners',
  reviser: 'Answer revisers',
  early: 'Left in the first weeks',
};

/** Smallest trait score (in ratios to the course average) for a trait to name a cluster. */
const MIN_TRAIT_SCORE = 0.25;

/**
 * Names each cluster in plain words by its most distinctive trait against the course average:
 * most video, most forum posting, most answer revisions, or leaving early (low activity and last
 * seen early). Each trait names at most one cluster (greedy by strength); the others are named by
 * activity and dropout: "Fading out" or "Occasional learners" / "Regular learners". Also writes a
 * one-sentence description with the figures behind the name.
 */
export function labelClusters(clusters: ClusterSummary[], overall: ClusterProfile, overallDropout: number): void {
  const ratio = (value: number, base: number) => (value + 1e-6) / (base + 1e-6);
  const candidates: Array<{ cluster: ClusterSummary; trait: Trait; score: number }> = [];
  for (const cluster of clusters) {
    const p = cluster.profile;
    const posts = p.forumThreads + p.forumReplies;
    const scores: Record<Trait, number> = {
      video: Math.log(ratio(p.videoMinutes, overall.videoMinutes)) + 0.5 * Math.log(ratio(p.activeDays, overall.activeDays)),
      forum: Math.log(ratio(posts, overall.forumThreads + overall.forumReplies)),
      reviser: Math.log(ratio(p.revisionsPerProblem, overall.revisionsPerProblem)),
      early: cluster.dropoutRate > overallDropout ? -Math.log(ratio(p.activeDays, overall.activeDays)) - Math.log(ratio(p.lastActiveWeek + 1, overall.lastActiveWeek + 1)) : 0,
    };
    for (const trait of Object.keys(scores) as Trait[]) if (scores[trait] >= MIN_TRAIT_SCORE) candidates.push({ cluster, trait, score: scores[trait] });
  }
  candidates.sort((a, b) => b.score - a.score);
  const usedTraits = new Set<Trait>();
  for (const { cluster, trait } of candidates) {
    if (cluster.label || usedTraits.has(trait)) continue;
    cluster.label = TRAIT_LABELS[trait];
    usedTraits.add(trait);
  }
  const seen = new Map<string, number>();
  for (const cluster of clusters) {
    if (!cluster.label) {
      if (cluster.dropoutRate > overallDropout) cluster.label = 'Fading out';
      else cluster.label = cluster.profile.activeDays >= overall.activeDays ? 'Regular learners' : 'Occasional learners';
    }
    const count = (seen.get(cluster.label) ?? 0) + 1;
    seen.set(cluster.label, count);
    if (count > 1) cluster.label = `${cluster.label} (${count})`;
    cluster.description = describe(cluster);
  }
}

function describe(cluster: ClusterSummary): string {
  const p = cluster.profile;
  const pct = (x: number) => `${Math.round(x * 100)}%`;
  const posts = p.forumThreads + p.forumReplies;
  return (
    `${pct(cluster.share)} of learners. Active ${p.activeDays.toFixed(1)} days on average, last seen around week ${Math.max(1, Math.round(p.lastActiveWeek + 1))}; ` +
    `${Math.round(p.videoMinutes)} min of video; ${posts.toFixed(1)} forum posts; ${pct(p.correctRatio)} of answers correct; ` +
    `${p.revisionsPerProblem.toFixed(2)} revisions per answer. ${pct(cluster.dropoutRate)} dropped out.`
  );
}
