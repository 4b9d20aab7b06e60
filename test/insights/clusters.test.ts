import { behaviourProfile } from '../../src/insights/clustering/behaviourProfile';
import { clusterLearners } from '../../src/insights/clustering/clusterLearners';
import { kmeans } from '../../src/insights/clustering/kmeans';
import { silhouetteScore } from '../../src/insights/clustering/silhouette';
import { adjustedRandIndex } from './adjustedRand';
import { generatedCourseDays } from './generatedActivity';

describe('k-means++ and silhouette', () => {
  const blobs = [
    [0, 0], [0.1, 0.2], [0.2, 0.1],
    [5, 5], [5.1, 5.2], [4.9, 5.1],
    [0, 5], [0.2, 5.1], [0.1, 4.9],
  ];
  it('finds three well separated blobs and scores them near 1', () => {
    const result = kmeans(blobs, { k: 3, seed: 3 });
    expect(adjustedRandIndex(result.assignments, [0, 0, 0, 1, 1, 1, 2, 2, 2])).toBe(1);
    expect(silhouetteScore(blobs, result.assignments)).toBeGreaterThan(0.9);
  });

  it('computes the silhouette of a hand-checked example', () => {
    // Points 0, 1 in cluster a and 4 in cluster b (1-D): s(0) = 1 - 1/4, s(1) = 1 - 1/3, s(4) = 0 (alone).
    expect(silhouetteScore([[0], [1], [4]], [0, 0, 1])).toBeCloseTo((0.75 + 2 / 3 + 0) / 3, 10);
  });

  it('refuses k above the number of points', () => {
    expect(() => kmeans([[1], [2]], { k: 3 })).toThrow('k-means needs at least k=3 points, got 2');
  });
});

describe('behaviour clusters on generated learners with planted archetypes', () => {
  const weeks = 8;
  const { plan, learners } = generatedCourseDays({ platform: 'openedx', learners: 900, weeks, seed: 'insights-clusters' });
  const startDay = Math.floor(plan.course.startAt / 86_400_000);
  const asOfDay = startDay + weeks * 7 - 1;
  const profiles = learners.map((l) => behaviourProfile(l.learnerId, l.days, { startDay, weeks, asOfDay }));
  const result = clusterLearners(profiles, asOfDay);

  it('chooses k by silhouette and recovers the archetypes well above chance', () => {
    expect(result.status).toBe('ok');
    const best = result.silhouetteByK.reduce((a, b) => (b.silhouette > a.silhouette ? b : a));
    expect(result.k).toBe(best.k);
    expect(result.k).toBeGreaterThanOrEqual(4);
    expect(adjustedRandIndex(result.assignments, learners.map((l) => l.archetype))).toBeGreaterThan(0.3);
  });

  it('names the clusters after what their members do', () => {
    const majority = (label: string) => {
      const id = result.clusters.find((c) => c.label === label)!.id;
      const counts = new Map<string, number>();
      learners.forEach((l, i) => result.assignments[i] === id && counts.set(l.archetype, (counts.get(l.archetype) ?? 0) + 1));
      return [...counts.entries()].sort((a, b) => b[1] - a[1])[0][0];
    };
    expect(majority('Forum-active learners')).toBe('social');
    expect(majority('Left in the first weeks')).toBe('sampler');
    const highestDropout = [...result.clusters].sort((a, b) => b.dropoutRate - a.dropoutRate)[0];
    expect(highestDropout.label).toBe('Left in the first weeks');
    expect(highestDropout.dropoutRate).toBeGreaterThan(0.9);
    expect(result.dropoutBasis).toBe('inactivity');
  });

  it('uses recorded outcomes for the dropout rate when they are known', () => {
    const dropouts = new Map(profiles.map((p) => [p.learnerId, true]));
    const withOutcomes = clusterLearners(profiles, asOfDay, dropouts);
    expect(withOutcomes.dropoutBasis).toBe('outcome');
    expect(withOutcomes.clusters.every((c) => c.dropoutRate === 1)).toBe(true);
  });

  it('says when there are too few learners', () => {
    expect(clusterLearners(profiles.slice(0, 10), asOfDay).status).toBe('too_few_learners');
  });
});
