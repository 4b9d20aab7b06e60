import { DESIGN_FEATURES, DesignVector } from '../../src/insights/design/designFeatures';
import { CourseCompletionRow, featureImportance, fitCompletionModel, largestGains, whatIf } from '../../src/insights/design/completionModel';
import { SeededRandom } from '../../src/insights/random';

/** Courses whose completion follows a planted logistic model of their design, with binomial noise. */
function plantedCourses(n: number, learners: number, seed: number): CourseCompletionRow[] {
  const random = new SeededRandom(seed);
  return Array.from({ length: n }, (_, i) => {
    const features: DesignVector = {
      videoShare: 0.3 + 0.6 * random.next(),
      gradedShare: 0.2 + 0.7 * random.next(),
      assessmentsPerUnit: 0.5 + 2.5 * random.next(),
      interactiveShare: 0.05 + 0.6 * random.next(),
      weeks: 4 + random.int(9),
      deadlinesPerWeek: [0.1, 0.5, 1][random.int(3)],
      certificateOffered: random.next() < 0.7 ? 1 : 0,
    };
    // Planted: +2.0 log-odds per unit of interactive share, -1.5 per unit of video share, +0.6 per deadline per week.
    const eta = -1.2 + 2.0 * features.interactiveShare - 1.5 * features.videoShare + 0.6 * features.deadlinesPerWeek;
    const p = 1 / (1 + Math.exp(-eta));
    let completed = 0;
    for (let k = 0; k < learners; k++) if (random.next() < p) completed++;
    return { courseId: `c${i}`, title: `Course ${i}`, features, learners, completed };
  });
}

describe('course design completion model', () => {
  const rows = plantedCourses(30, 2000, 5);
  const model = fitCompletionModel(rows);

  it('recovers the sign and rough size of the planted design effects', () => {
    expect(model.status).toBe('ok');
    const perUnit = (f: string) => model.coefficients[model.features.indexOf(f as never)] / model.sds[model.features.indexOf(f as never)];
    expect(perUnit('interactiveShare')).toBeGreaterThan(2.0 * 0.6);
    expect(perUnit('interactiveShare')).toBeLessThan(2.0 * 1.4);
    expect(perUnit('videoShare')).toBeLessThan(-1.5 * 0.6);
    expect(perUnit('videoShare')).toBeGreaterThan(-1.5 * 1.4);
    expect(Math.abs(perUnit('weeks'))).toBeLessThan(0.05);
    expect(model.looMaePp).toBeLessThan(3);
  });

  it('ranks the planted features first, with intervals that exclude zero', () => {
    const importance = featureImportance(model);
    expect(importance.slice(0, 2).map((i) => i.feature).sort()).toEqual(['interactiveShare', 'videoShare']);
    expect(importance[0].clear).toBe(true);
  });

  it('estimates what-ifs with the planted size', () => {
    const base = rows[0].features;
    const changed = { ...base, interactiveShare: base.interactiveShare + 0.2 };
    const w = whatIf(model, base, changed);
    const logistic = (x: number) => 1 / (1 + Math.exp(-x));
    const eta = -1.2 + 2.0 * base.interactiveShare - 1.5 * base.videoShare + 0.6 * base.deadlinesPerWeek;
    const truth = 100 * (logistic(eta + 0.4) - logistic(eta));
    expect(w.changePp).toBeGreaterThan(truth * 0.6);
    expect(w.changePp).toBeLessThan(truth * 1.4);
    expect(w.intervalPp[0]).toBeLessThan(w.changePp);
    expect(w.intervalPp[1]).toBeGreaterThan(w.changePp);
    const gains = largestGains(model, base);
    expect(gains[0].feature).toMatch(/interactiveShare|videoShare/);
    expect(gains[0].changePp).toBeGreaterThan(0);
  });

  it('is honest below the minimum number of courses', () => {
    const few = fitCompletionModel(rows.slice(0, 5));
    expect(few).toMatchObject({ status: 'needs_more_courses', minCourses: 8, courses: 5 });
    expect(featureImportance(few)).toEqual([]);
    expect(() => whatIf(few, rows[0].features, rows[0].features)).toThrow('the course model needs at least 8 courses with known completion');
  });

  it('leaves out features that do not vary across courses', () => {
    const same = rows.map((r) => ({ ...r, features: { ...r.features, certificateOffered: 1 } }));
    const m = fitCompletionModel(same);
    expect(m.constantFeatures).toEqual(['certificateOffered']);
    expect(m.features).toEqual(DESIGN_FEATURES.filter((f) => f !== 'certificateOffered'));
  });
});
