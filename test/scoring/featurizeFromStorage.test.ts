import { FeatureChunk } from '../../src/storage/models/FeatureChunk';
import { unpackFeatureChunk } from '../../src/scoring/featureChunks';
import { featurizePartition } from '../../src/scoring/featurizePartition';
import { runAggregateStep } from '../../src/scoring/partitionLearners';
import { asOfDayOf } from '../../src/scoring/runDate';
import { ensureRunIndexes, openRun, requireRun } from '../../src/scoring/runState';
import { featureNames } from '../../src/features/WeeklyFeatures';
import { SCORING_SPEC } from '../../src/scoring/scoringSpec';
import { useTestDb } from '../support';
import { activeDay, seedCourse } from './seedCourse';

useTestDb();

const RUN_DATE = '2025-03-10';
const AS_OF = asOfDayOf(RUN_DATE);
const START = AS_OF - 27;
const names = featureNames(SCORING_SPEC);
const feature = (base: ArrayLike<number>, name: string) => base[names.indexOf(name)];
const storedLearners = async (courseId: string) =>
  (await FeatureChunk.find({ c: courseId, r: RUN_DATE }).lean()).flatMap((doc) => unpackFeatureChunk(doc as unknown as Record<string, unknown>));

describe('features from stored activity', () => {
  let ids: string[];
  let courseId: string;
  let features: Map<string, { base: Float32Array; ws: number; we: number; a: number[] }>;

  beforeAll(async () => {
    await ensureRunIndexes();
    ({ courseId, learnerIds: ids } = await seedCourse(
      [
        // 0: active on the first day and the last day, with video on the last day.
        { enrolledDay: START, days: [activeDay(START, { navigate: 3 }), activeDay(AS_OF, { video: 4, videoSeconds: 600, navigate: 1 })] },
        // 1: last active 9 days before the run's last day.
        { enrolledDay: START, days: [activeDay(AS_OF - 12), activeDay(AS_OF - 9, { problem: 2, attempted: 1, correct: 1 })] },
        // 2: late enrolee, enrolled 3 days before the last day, active on enrolment day and the last day.
        { enrolledDay: AS_OF - 3, days: [activeDay(AS_OF - 3), activeDay(AS_OF)] },
        // 3: never active.
        { enrolledDay: START, days: [] },
        // 4: activity after the run's last day is not read.
        { enrolledDay: START, days: [activeDay(AS_OF - 1), activeDay(AS_OF + 1, { video: 50 })] },
      ],
      { startDay: START },
    ));
    const run = await openRun(courseId, RUN_DATE, 'cli');
    await runAggregateStep(run, 2);
    const withPartitions = await requireRun(run._id);
    expect(withPartitions.partitions).toHaveLength(3);
    for (let p = 0; p < 3; p++) await featurizePartition(withPartitions, p, { startDay: START });
    features = new Map();
    for (const learner of await storedLearners(courseId)) {
      features.set(learner.learnerId, { base: learner.inputs.actual.base as Float32Array, ws: learner.window.start, we: learner.window.end, a: learner.activity });
    }
  });

  it('stores the features of every learner once, with or without activity', async () => {
    expect(features.size).toBe(5);
    expect(await storedLearners(courseId)).toHaveLength(5);
  });

  it('computes a regular learner over the course window', () => {
    const f = features.get(ids[0])!;
    expect([f.ws, f.we]).toEqual([START, AS_OF]);
    expect(feature(f.base, 'active_days')).toBe(2);
    expect(feature(f.base, 'recency')).toBe(0);
    expect(feature(f.base, 'first_seen')).toBe(0);
    expect(feature(f.base, 'max_gap')).toBe(26);
    expect(feature(f.base, 'video_total')).toBeCloseTo(Math.log1p(4), 5);
    expect(feature(f.base, 'videoSeconds_total')).toBeCloseTo(Math.log1p(600), 5);
    expect(feature(f.base, 'total_events')).toBeCloseTo(Math.log1p(3 + 4 + 1), 5);
    expect(f.a).toEqual([AS_OF * 86_400_000, 2, 0, 0, 10, 0]);
  });

  it('counts days without activity since the last active day', () => {
    const f = features.get(ids[1])!;
    expect(feature(f.base, 'recency')).toBe(9);
    expect(feature(f.base, 'active_days')).toBe(2);
    expect(feature(f.base, 'problemsAttempted_total')).toBeCloseTo(Math.log1p(1), 5);
    expect(feature(f.base, 'inactive')).toBe(0);
  });

  it('starts a late enrolee\'s window at enrolment, so earlier days are not inactivity', () => {
    const f = features.get(ids[2])!;
    expect([f.ws, f.we]).toEqual([AS_OF - 3, AS_OF]);
    expect(feature(f.base, 'first_seen')).toBe(0);
    expect(feature(f.base, 'active_ratio_since_first')).toBe(0.5);
    expect(feature(f.base, 'max_gap')).toBe(2);
    expect(feature(f.base, 'recency')).toBe(0);
  });

  it('gives a never-active learner the whole window as recency', () => {
    const f = features.get(ids[3])!;
    expect(feature(f.base, 'inactive')).toBe(1);
    expect(feature(f.base, 'recency')).toBe(28);
    expect(feature(f.base, 'total_events')).toBe(0);
    expect(f.a[0]).toBe(-1);
  });

  it('ignores activity after the run date', () => {
    const f = features.get(ids[4])!;
    expect(feature(f.base, 'video_total')).toBe(0);
    expect(feature(f.base, 'recency')).toBe(1);
  });

  it('is idempotent: featurizing a partition again stores nothing new', async () => {
    const run = await requireRun(`${courseId}|${RUN_DATE}`);
    expect(await featurizePartition(run, 0, { startDay: START })).toBe(2);
    const learners = await storedLearners(courseId);
    expect(learners).toHaveLength(5);
    expect(new Set(learners.map((l) => l.learnerId))).toEqual(new Set(ids));
  });
});
