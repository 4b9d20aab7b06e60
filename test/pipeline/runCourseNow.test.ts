import { onCourseScored } from '../../jobs/events/courseScored';
import { unloadPredictors } from '../../src/registry/modelRegistry';
import { asOfDayOf } from '../../src/scoring/runDate';
import { runCourseNow } from '../../src/scoring/runCourseNow';
import { Course } from '../../src/storage/models/Course';
import { NightlyRun, RUN_STEPS } from '../../src/storage/models/NightlyRun';
import { Score, scoreFactors } from '../../src/storage/models/Score';
import { activeDay, mixedLearners, seedCourse } from '../scoring/seedCourse';
import { useTestDb } from '../support';

useTestDb();
afterAll(() => unloadPredictors());

const RUN_DATE = '2025-03-10';
const AS_OF = asOfDayOf(RUN_DATE);
const START = AS_OF - 34;

describe('a course run in process (keepup score)', () => {
  let courseId: string;
  let learnerIds: string[];
  const events: string[] = [];

  beforeAll(async () => {
    const learners = mixedLearners(60, START, 35);
    // The last learner: steady for three weeks, then nothing for the last 9 days.
    learners.push({ enrolledDay: START, days: Array.from({ length: 26 }, (_, t) => activeDay(START + t, { video: 5, videoSeconds: 900, problem: 2, attempted: 1, correct: 1 })) });
    ({ courseId, learnerIds } = await seedCourse(learners, { startDay: START }));
    onCourseScored(async (e) => void events.push(`${e.courseId}:${e.runDate}`));
  }, 120_000);

  it('scores every learner once, with models, factors, what-if and activity', async () => {
    const run = await runCourseNow(courseId, RUN_DATE, { partitionSize: 25 });
    expect(run.status).toBe('completed');
    expect(run.partitions).toHaveLength(3);
    expect(RUN_STEPS.map((step) => run.steps[step].status)).toEqual(['skipped', 'done', 'done', 'done', 'done']);
    expect(await Score.countDocuments({ courseId, runDate: RUN_DATE })).toBe(61);
    const score = await Score.findOne({ courseId, runDate: RUN_DATE, learnerId: learnerIds[0] }).lean();
    for (const p of [score!.dropout, score!.completion, score!.certificate]) expect(p).toBeGreaterThanOrEqual(0);
    expect(score!.modelVersions!.dropout).toMatch(/^dropout-default-default-[0-9a-f]{12}$/);
    expect(score!.whatIf!.certificatePerVideoHour).toEqual(expect.any(Number));
    expect((await Course.findById(courseId).lean())!.lastScoredRunDate).toBe(RUN_DATE);
    expect(events).toEqual([`${courseId}:${RUN_DATE}`]);
    expect(run.whatIf!.note).toMatch(/not a causal effect/);
  }, 180_000);

  it('explains a learner inactive for 9 days with an inactivity factor raising dropout', async () => {
    const score = await Score.findOne({ courseId, runDate: RUN_DATE, learnerId: learnerIds[60] }).lean();
    const dropout = scoreFactors(score!.factors).filter((f) => f.outcome === 'dropout');
    const inactivity = dropout.find((f) => f.feature === 'inactivity');
    expect(inactivity).toMatchObject({ text: 'no activity for 9 days' });
    expect(inactivity!.weight).toBeGreaterThan(0);
    expect(score!.activity).toMatchObject({ activeDays: 26, lastWeekVideoMinutes: 0 });
  });

  it('is idempotent per course and run date: a second run scores nothing and emits nothing', async () => {
    const again = await runCourseNow(courseId, RUN_DATE, { partitionSize: 25 });
    expect(again.status).toBe('completed');
    expect(await Score.countDocuments({ courseId, runDate: RUN_DATE })).toBe(61);
    expect(await NightlyRun.countDocuments({ courseId })).toBe(1);
    expect(events).toHaveLength(1);
  });
});
