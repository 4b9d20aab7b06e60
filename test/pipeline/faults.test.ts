import { ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { buildSync } from 'esbuild';
import { configureJobs, closeJobsConnection } from '../../jobs/connection';
import { closeQueues } from '../../jobs/queues';
import { startNightlyScheduler } from '../../jobs/scheduler';
import { TaskWorker } from '../../jobs/TaskWorker';
import { NightlyCourseRunTask } from '../../jobs/tasks/NightlyCourseRunTask';
import { closeNightlyFlows } from '../../jobs/tasks/nightlyStages';
import { nightlyTasks } from '../../jobs/tasks/nightlyTasks';
import { unloadPredictors } from '../../src/registry/modelRegistry';
import { unpackFeatureChunk } from '../../src/scoring/featureChunks';
import { asOfDayOf } from '../../src/scoring/runDate';
import { finishedParts } from '../../src/scoring/runState';
import { FeatureChunk } from '../../src/storage/models/FeatureChunk';
import { NightlyRun, type NightlyRunDoc } from '../../src/storage/models/NightlyRun';
import { Score } from '../../src/storage/models/Score';
import { RedisServer } from '../../scripts/services/RedisServer';
import { cacheDir, repoRoot } from '../../scripts/services/paths';
import { mixedLearners, seedCourse } from '../scoring/seedCourse';
import { requireEnv, uniqueName, useTestDb } from '../support';

const db = useTestDb();
afterAll(() => unloadPredictors());

const RUN_DATE = '2025-03-10';
const START = asOfDayOf(RUN_DATE) - 34;
const LEARNERS = 1500;
const PARTITION = 150;

async function until<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = 150_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const run = (courseId: string) => NightlyRun.findById(`${courseId}|${RUN_DATE}`).lean<NightlyRunDoc>();
const partsDone = async (courseId: string, step: 'features' | 'score') => (await finishedParts(`${courseId}|${RUN_DATE}`, step)).size;

/** Every learner has exactly one Score and one stored feature row for the run, and the run's own count agrees. */
async function expectScoredExactlyOnce(courseId: string, learnerIds: string[]): Promise<void> {
  const final = await until('the run to complete', async () => {
    const r = await run(courseId);
    return r && r.status !== 'running' && r;
  });
  expect(final.status).toBe('completed');
  const scores = await Score.find({ courseId, runDate: RUN_DATE }, { learnerId: 1 }).lean();
  expect(scores).toHaveLength(LEARNERS);
  expect(new Set(scores.map((s) => String(s.learnerId)))).toEqual(new Set(learnerIds));
  const featured = (await FeatureChunk.find({ c: courseId, r: RUN_DATE }).lean()).flatMap((doc) => unpackFeatureChunk(doc as unknown as Record<string, unknown>));
  expect(featured).toHaveLength(LEARNERS);
  expect(new Set(featured.map((l) => l.learnerId))).toEqual(new Set(learnerIds));
  expect(final.learnersScored).toBe(LEARNERS);
}

describe('a worker killed with SIGKILL in the middle of a nightly run', () => {
  const prefix = uniqueName('kf');
  let script: string;
  const children: ChildProcess[] = [];

  beforeAll(() => {
    script = path.join(cacheDir('test'), 'pipeline-worker.js');
    buildSync({ entryPoints: [path.join(repoRoot(), 'test/pipeline/workerProcess.ts')], bundle: true, platform: 'node', packages: 'external', outfile: script, logLevel: 'error' });
    configureJobs({ redisUrl: requireEnv('REDIS_URL'), prefix });
  });
  afterAll(async () => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
    await closeNightlyFlows();
    await closeQueues();
    await closeJobsConnection();
  });

  function startWorkerProcess(): Promise<ChildProcess> {
    const child = spawn(process.execPath, [script], {
      env: { ...process.env, TEST_DB: db.dbName, JOBS_PREFIX: prefix, STALE_MS: '4000', LOG_LEVEL: 'silent' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    children.push(child);
    return new Promise((resolve, reject) => {
      child.stdout!.on('data', (chunk: Buffer) => chunk.toString().includes('READY') && resolve(child));
      child.once('exit', (code) => reject(new Error(`worker exited with ${code} before it was ready`)));
    });
  }

  it('resumes after a restart and scores every learner exactly once', async () => {
    const { courseId, learnerIds } = await seedCourse(mixedLearners(LEARNERS, START, 35), { startDay: START });
    const first = await startWorkerProcess();
    await new NightlyCourseRunTask().schedule({ courseId, runDate: RUN_DATE, trigger: 'admin', partitionSize: PARTITION });
    await until('some partitions to be scored', async () => (await partsDone(courseId, 'score')) >= 2);
    first.kill('SIGKILL');
    await new Promise((r) => first.once('exit', r));
    const killedAt = await run(courseId);
    expect(killedAt!.status).toBe('running');
    expect(await partsDone(courseId, 'score')).toBeLessThan(LEARNERS / PARTITION);
    await startWorkerProcess();
    await expectScoredExactlyOnce(courseId, learnerIds);
  }, 240_000);
});

describe('a Redis restart in the middle of a nightly run', () => {
  const redis = new RedisServer();
  let worker: TaskWorker | undefined;
  let scheduler: { close(): Promise<void> } | undefined;

  afterAll(async () => {
    await scheduler?.close();
    await worker?.close();
    await closeNightlyFlows();
    await closeQueues();
    await closeJobsConnection();
    await redis.stop();
  });

  it('loses the queued jobs, resumes from MongoDB, and scores every learner exactly once', async () => {
    const url = await redis.startPrivate();
    const port = Number(new URL(url).port);
    configureJobs({ redisUrl: url, prefix: uniqueName('kr') });
    worker = new TaskWorker(nightlyTasks(), { concurrency: 2 }).start();
    scheduler = await startNightlyScheduler({ intervalMs: 500, staleMs: 4000 });
    const { courseId, learnerIds } = await seedCourse(mixedLearners(LEARNERS, START, 35), { startDay: START });
    await new NightlyCourseRunTask().schedule({ courseId, runDate: RUN_DATE, trigger: 'admin', partitionSize: PARTITION });
    await until('some partitions to be featurized', async () => (await partsDone(courseId, 'features')) >= 2);
    await redis.stop('SIGKILL');
    await redis.startPrivate(port);
    const restarted = await run(courseId);
    expect(restarted!.status).toBe('running');
    await expectScoredExactlyOnce(courseId, learnerIds);
  }, 240_000);
});
