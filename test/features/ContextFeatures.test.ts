import { contextFeatures, contextNames, crossCourseFeatures, percentile, populationStats } from '../../src/features/ContextFeatures';

describe('context features', () => {
  const stats = populationStats([[0, 5], [1, 5], [1, 5], [4, 5]]);

  it('computes the population mean, std and median', () => {
    expect(stats.mean).toEqual([1.5, 5]);
    expect(stats.std).toEqual([1.5, 0]);
    expect(stats.median).toEqual([1, 5]);
  });

  it('uses mid-rank percentiles for ties', () => {
    expect(percentile(stats.sorted[0], 1)).toBe(0.5);
    expect(percentile(stats.sorted[0], 0)).toBe(0.125);
    expect(percentile(stats.sorted[0], 9)).toBe(1);
  });

  it('states a learner relative to the course: z, percentile, difference to median', () => {
    expect(Array.from(contextFeatures([4, 5], stats))).toEqual([(4 - 1.5) / 1.5, 0, 0.875, 0.5, 3, 0]);
    expect(contextNames(['a', 'b'])).toEqual(['a_z', 'b_z', 'a_pct', 'b_pct', 'a_dmed', 'b_dmed']);
  });

  it('states a learner relative to the same learner in other courses', () => {
    expect(Array.from(crossCourseFeatures([3, 1], [[1, 1], [3, 3]]))).toEqual([2, 2, 1, -1]);
    expect(Array.from(crossCourseFeatures([3, 1], []))).toEqual([0, 0, 0, 0]);
  });
});
