import { configureJobs, closeJobsConnection } from '../../jobs/connection';
import { closeQueues, getQueue } from '../../jobs/queues';
import { courseSchedulerId, upsertCourseSchedule } from '../../jobs/scheduler';
import { TaskWorker } from '../../jobs/TaskWorker';
import { NightlyCourseRunTask } from '../../jobs/tasks/NightlyCourseRunTask';
import { closeNightlyFlows } from '../../jobs/tasks/nightlyStages';
import { nightlyTasks } from '../../jobs/tasks/nightlyTasks';
import { unloadPredictors } from '../../src/registry/modelRegistry';
import { asOfDayOf } from '../../src/scoring/runDate';
import { Course } from '../../src/storage/models/Course';
import { NightlyRun, RUN_STEPS, type NightlyRunDoc } from '../../src/storage/models/NightlyRun';
import { Score } from '../../src/storage/models/Score';
import { mixedLearners, seedCourse } from '../scoring/seedCourse';
import { requireEnv, useTestDb, useTestRedis } from '../support';

useTestDb();
const redis = useTestRedis();
let worker: TaskWorker;

beforeAll(() => {
  configureJobs({ redisUrl: requireEnv('REDIS_URL'), prefix: redis.prefix });
  worker = new TaskWorker(nightlyTasks(), { concurrency: 2 }).start();
});
afterAll(async () => {
  await worker.close();
  await closeNightlyFlows();
  await closeQueues();
  await closeJobsConnection();
  await unloadPredictors();
});

/** Polls the run until it completes or fails. */
export async function waitForRun(runId: string, timeoutMs = 120_000): Promise<NightlyRunDoc> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const run = await NightlyRun.findById(runId).lean<NightlyRunDoc>();
    if (run && run.status !== 'running') return run;
    if (Date.now() > deadline) throw new Error(`run ${runId} did not finish: ${JSON.stringify(run?.steps)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const RUN_DATE = '2025-03-10';
const START = asOfDayOf(RUN_DATE) - 34;

describe('the nightly BullMQ flow', () => {
  it('runs pull → aggregate → features → score → emit over partitions and scores every learner once', async () => {
    const { courseId } = await seedCourse(mixedLearners(70, START, 35), { startDay: START });
    await new NightlyCourseRunTask().schedule({ courseId, runDate: RUN_DATE, trigger: 'admin', partitionSize: 20 });
    const run = await waitForRun(`${courseId}|${RUN_DATE}`);
    expect(run.status).toBe('completed');
    expect(run.partitions).toHaveLength(4);
    expect(RUN_STEPS.map((s) => run.steps[s].status)).toEqual(['skipped', 'done', 'done', 'done', 'done']);
    expect(await Score.countDocuments({ courseId, runDate: RUN_DATE })).toBe(70);
    expect(run.learnersScored).toBe(70);
    expect((await Course.findById(courseId).lean())!.lastScoredRunDate).toBe(RUN_DATE);

    await new NightlyCourseRunTask().schedule({ courseId, runDate: RUN_DATE, trigger: 'admin', partitionSize: 20 });
    await new Promise((r) => setTimeout(r, 1500));
    expect(await Score.countDocuments({ courseId, runDate: RUN_DATE })).toBe(70);
  }, 180_000);

  it('registers a job scheduler per course: its cron in its time zone, 02:00 by default', async () => {
    const paris = await Course.create({ platform: 'openedx', externalId: 'course-v1:Sched+Paris+R', timeZone: 'Europe/Paris' });
    const tokyo = await Course.create({ platform: 'canvas', externalId: '4242', timeZone: 'Asia/Tokyo', nightlyCron: '30 4 * * 1-5' });
    await upsertCourseSchedule(paris);
    await upsertCourseSchedule(tokyo);
    const queue = getQueue('nightly');
    const parisScheduler = await queue.getJobScheduler(courseSchedulerId(paris.id));
    expect(parisScheduler).toMatchObject({ pattern: '0 2 * * *', tz: 'Europe/Paris' });
    expect(await queue.getJobScheduler(courseSchedulerId(tokyo.id))).toMatchObject({ pattern: '30 4 * * 1-5', tz: 'Asia/Tokyo' });
    const next = new Date(parisScheduler!.next!);
    const local = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Paris', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(next);
    expect(local).toBe('02:00');
    await upsertCourseSchedule(paris);
    expect((await queue.getJobSchedulers()).filter((s) => s.key === courseSchedulerId(paris.id) || s.id === courseSchedulerId(paris.id))).toHaveLength(1);
  });
});
