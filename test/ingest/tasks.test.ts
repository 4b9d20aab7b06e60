import path from 'node:path';
import { QueueEvents } from 'bullmq';
import { closeJobsConnection, configureJobs, newConnection } from '../../jobs/connection';
import { closeQueues } from '../../jobs/queues';
import { TaskWorker } from '../../jobs/TaskWorker';
import { ImportFileTask } from '../../jobs/tasks/ImportFileTask';
import { PurgeRawEventsTask } from '../../jobs/tasks/PurgeRawEventsTask';
import type { AnyTask } from '../../jobs/BaseTask';
import { archiveRawEvents } from '../../src/ingest/rawArchive';
import { Course } from '../../src/storage/models/Course';
import { ImportRun } from '../../src/storage/models/ImportRun';
import { RawEvent } from '../../src/storage/models/RawEvent';
import { requireEnv, useTestDb, useTestRedis } from '../support';
import { generate, readJsonLines, tempDir } from './helpers';

describe('ingestion tasks', () => {
  useTestDb();
  const redis = useTestRedis();
  const dir = tempDir('tasks');
  let worker: TaskWorker;
  let events: QueueEvents;

  beforeAll(async () => {
    configureJobs({ redisUrl: requireEnv('REDIS_URL'), prefix: redis.prefix });
    worker = new TaskWorker([new ImportFileTask()]).start();
    events = new QueueEvents('ingest', { connection: newConnection(), prefix: redis.prefix });
    await events.waitUntilReady();
    await generate(dir, { learners: 10, weeks: 2, seed: 2 });
  });
  afterAll(async () => {
    await worker.close();
    await events.close();
    await closeQueues();
    await closeJobsConnection();
  });

  it('imports a tracking log in a worker through BullMQ and records the run', async () => {
    const job = await new ImportFileTask().schedule({ format: 'tracking-log', paths: [path.join(dir, 'tracking.log.gz')] });
    const result = (await job.waitUntilFinished(events, 60_000)) as { read: number; accepted: number; runId: string };
    const lines = readJsonLines<{ username: string }>(path.join(dir, 'tracking.log.gz'));
    expect(result.read).toBe(lines.length);
    expect(result.accepted).toBe(lines.filter((l) => l.username).length);
    expect(await ImportRun.findById(result.runId).lean()).toMatchObject({ status: 'completed', read: lines.length });
  });

  it('purges archived raw events older than the course retention, keeping newer ones', async () => {
    const course = await Course.create({ platform: 'openedx', externalId: 'course-v1:X+Y+Z', rawRetentionDays: 30 });
    await archiveRawEvents(String(course._id), 'tracking-log', [{ time: new Date(), body: '{"a":1}' }, { time: new Date(), body: { b: 2 } }]);
    await RawEvent.updateOne({ body: '{"a":1}' }, { $set: { receivedAt: new Date(Date.now() - 31 * 86_400_000) } });
    const result = await new PurgeRawEventsTask().perform();
    expect(result.purged).toBe(1);
    expect((await RawEvent.find({}).lean()).map((r) => r.body)).toEqual(['{"b":2}']);
  });
});
