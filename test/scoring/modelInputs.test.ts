import { courseTable, flatNames } from '../../src/features/featureTable';
import { featurizeLearner } from '../../src/scoring/learnerFeatures';
import { describe as describeFactor, FACTOR_GROUPS, withMedianGroup } from '../../src/scoring/explanations';
import { modelData, modelDataWithOcclusions, packInputs, unpackInputs } from '../../src/scoring/modelInputs';
import { populationStats } from '../../src/features/ContextFeatures';
import { learnerWindow, SCORING_SPEC } from '../../src/scoring/scoringSpec';
import { whatIfEstimate } from '../../src/scoring/whatIf';
import { activeDay, mixedLearners } from './seedCourse';

const AS_OF = 20_100;
const START = AS_OF - 34;

describe('scoring inputs', () => {
  const learners = mixedLearners(24, START, 35);
  const windows = learners.map((l) => learnerWindow(AS_OF, { courseStartDay: START, enrolledDay: l.enrolledDay }));

  it('lays out rows as the models’ courseTable does', () => {
    const table = courseTable(learners.map((l, i) => ({ days: l.days, window: windows[i] })), { start: START, end: AS_OF }, SCORING_SPEC);
    const sets = learners.map((l, i) => featurizeLearner(l.days, windows[i]));
    const data = modelData(sets, table.stats);
    expect(data.width * data.rows).toBe(table.flat.length);
    // Stored features are float32: values differ from the float64 path in the last bits, and a percentile
    // (mid-rank, ties counted half) may move by at most the ties it no longer equals.
    const names = flatNames(SCORING_SPEC);
    let worst = 0;
    let worstPercentile = 0;
    data.flat.forEach((v, k) => {
      const diff = Math.abs(v - table.flat[k]);
      if (names[k % data.width].endsWith('_pct')) worstPercentile = Math.max(worstPercentile, diff);
      else worst = Math.max(worst, diff);
    });
    expect(worst).toBeLessThan(1e-5);
    expect(worstPercentile).toBeLessThanOrEqual(0.5);
    expect(Array.from(data.sequence)).toEqual(Array.from(table.sequence));
  });

  it('builds the occlusion rows exactly as modelData over withMedianGroup rows', () => {
    const sets = learners.map((l, i) => featurizeLearner(l.days, windows[i]));
    const stats = populationStats(sets.map((s) => s.base));
    const median = sets[3];
    const direct = modelData(sets.flatMap((s) => [s, ...FACTOR_GROUPS.map((g) => withMedianGroup(s, median, g))]), stats);
    const fast = modelDataWithOcclusions(sets, median, FACTOR_GROUPS, stats);
    expect(fast.rows).toBe(direct.rows);
    expect(Array.from(fast.flat)).toEqual(Array.from(direct.flat));
    expect(Array.from(fast.sequence)).toEqual(Array.from(direct.sequence));
  });

  it('packs the three variants into one buffer and back', () => {
    const set = featurizeLearner(learners[0].days, windows[0]);
    const back = unpackInputs(packInputs({ actual: set, plusVideoHour: set.plusVideoHour, plusProblem: set.plusProblem }));
    expect(Array.from(back.actual.base)).toEqual(Array.from(set.base));
    expect(Array.from(back.plusProblem.sequence)).toEqual(Array.from(set.plusProblem.sequence));
    expect(() => unpackInputs(Buffer.alloc(12))).toThrow(/feature layout changed/);
  });

  it('adds one hour of video (with the learner’s own events per hour) for the what-if variant', () => {
    const days = [activeDay(AS_OF - 1, { video: 6, videoSeconds: 1800 })];
    const set = featurizeLearner(days, { start: START, end: AS_OF });
    const names = require('../../src/features/WeeklyFeatures').featureNames(SCORING_SPEC) as string[];
    expect(set.plusVideoHour.base[names.indexOf('videoSeconds_total')]).toBeCloseTo(Math.log1p(1800 + 3600), 4);
    expect(set.plusVideoHour.base[names.indexOf('video_total')]).toBeCloseTo(Math.log1p(6 + 12), 4);
    expect(set.plusProblem.base[names.indexOf('problemsCorrect_total')]).toBeCloseTo(Math.log1p(1), 4);
    expect(set.plusVideoHour.base[names.indexOf('recency')]).toBe(0);
  });
});

describe('explanations in plain words', () => {
  const names = require('../../src/features/WeeklyFeatures').featureNames(SCORING_SPEC) as string[];
  const median = featurizeLearner([activeDay(AS_OF - 2, { video: 4, videoSeconds: 3000, attempted: 6, problem: 8 }), activeDay(AS_OF, { video: 4, videoSeconds: 2400 })], { start: START, end: AS_OF });

  it('describes inactivity, video time and problems against the course median learner', () => {
    const learner = featurizeLearner([activeDay(AS_OF - 9, { video: 1, videoSeconds: 300, attempted: 1, problem: 1 })], { start: START, end: AS_OF });
    expect(describeFactor('inactivity', learner, median)).toBe('no activity for 9 days');
    expect(describeFactor('video', learner, median)).toBe('video time far below the course median (5 min vs 90 min)');
    expect(describeFactor('problems', learner, median)).toBe('problems attempted far below the course median (1 vs 6)');
    expect(describeFactor('regularity', learner, median)).toBe('active on 1 day (course median 2)');
    expect(describeFactor('inactivity', featurizeLearner([], { start: START, end: AS_OF }), median)).toBe('no activity since enrolling');
  });

  it('swaps exactly one factor group for the median learner’s values', () => {
    const learner = featurizeLearner([activeDay(AS_OF - 9)], { start: START, end: AS_OF });
    const group = FACTOR_GROUPS.find((g) => g.name === 'inactivity')!;
    const swapped = withMedianGroup(learner, median, group);
    expect(swapped.base[names.indexOf('recency')]).toBe(median.base[names.indexOf('recency')]);
    expect(swapped.base[names.indexOf('active_days')]).toBe(learner.base[names.indexOf('active_days')]);
  });
});

describe('what would help', () => {
  it('is trustworthy only for a validated model, a week of history and a small positive change', () => {
    expect(whatIfEstimate(0.4, 0.43, 0.41, { modelAuc: 0.9, windowDays: 20 })).toEqual({ certificatePerVideoHour: 0.03, certificatePerProblem: 0.01, trustworthy: true });
    expect(whatIfEstimate(0.4, 0.43, 0.41, { modelAuc: 0.65, windowDays: 20 }).trustworthy).toBe(false);
    expect(whatIfEstimate(0.4, 0.43, 0.41, { modelAuc: 0.9, windowDays: 3 }).trustworthy).toBe(false);
    expect(whatIfEstimate(0.4, 0.38, 0.41, { modelAuc: 0.9, windowDays: 20 }).trustworthy).toBe(false);
    expect(whatIfEstimate(0.2, 0.7, 0.21, { modelAuc: 0.9, windowDays: 20 }).trustworthy).toBe(false);
  });
});
