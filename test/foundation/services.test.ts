import { Job, QueueEvents } from 'bullmq';
import mongoose, { Schema } from 'mongoose';
import { BaseTask } from '../../jobs/BaseTask';
import { closeJobsConnection, configureJobs, newConnection } from '../../jobs/connection';
import { closeQueues } from '../../jobs/queues';
import { TaskWorker } from '../../jobs/TaskWorker';
import { ValidationError } from '../../src/errors';
import { requireEnv, useTestDb, useTestRedis } from '../support';

const Note = mongoose.model('FoundationNote', new Schema({ courseId: { type: String, index: true }, text: String, n: Number }));

interface NoteProps {
  courseId: string;
  text: string;
}

/** Writes a note; fails permanently on empty text. */
class WriteNoteTask extends BaseTask<NoteProps, string> {
  readonly jobName = 'test.writeNote';
  readonly queue = 'maintenance' as const;
  failures: string[] = [];
  async perform(props: NoteProps): Promise<string> {
    if (!props.text) throw ValidationError('text is empty');
    const note = await Note.create({ courseId: props.courseId, text: props.text, n: props.text.length });
    return String(note._id);
  }
  override async onFailed(props: NoteProps, error: Error): Promise<void> {
    this.failures.push(`${props.courseId}:${error.message}`);
  }
}

describe('real MongoDB-compatible server and Redis', () => {
  useTestDb();
  const redis = useTestRedis();
  let worker: TaskWorker;
  let events: QueueEvents;
  const task = new WriteNoteTask();

  beforeAll(async () => {
    configureJobs({ redisUrl: requireEnv('REDIS_URL'), prefix: redis.prefix });
    worker = new TaskWorker([task]).start();
    events = new QueueEvents('maintenance', { connection: newConnection(), prefix: redis.prefix });
    await events.waitUntilReady();
  });

  afterAll(async () => {
    await worker.close();
    await events.close();
    await closeQueues();
    await closeJobsConnection();
  });

  it('round-trips documents through mongoose', async () => {
    await Note.insertMany([
      { courseId: 'c1', text: 'alpha', n: 5 },
      { courseId: 'c1', text: 'be', n: 2 },
      { courseId: 'c2', text: 'gamma', n: 5 },
    ]);
    const found = await Note.find({ courseId: 'c1' }).sort({ n: 1 }).lean();
    expect(found.map((d) => d.text)).toEqual(['be', 'alpha']);
    const totals = await Note.aggregate([{ $group: { _id: '$courseId', total: { $sum: '$n' } } }, { $sort: { _id: 1 } }]);
    expect(totals).toEqual([
      { _id: 'c1', total: 7 },
      { _id: 'c2', total: 5 },
    ]);
    await Note.bulkWrite([{ updateOne: { filter: { courseId: 'c3' }, update: { $inc: { n: 1 } }, upsert: true } }], { ordered: false });
    await Note.bulkWrite([{ updateOne: { filter: { courseId: 'c3' }, update: { $inc: { n: 1 } }, upsert: true } }], { ordered: false });
    expect((await Note.findOne({ courseId: 'c3' }).lean())?.n).toBe(2);
  });

  it('runs a job through BullMQ and sees its write in MongoDB', async () => {
    const job: Job = await task.schedule({ courseId: 'job-course', text: 'from a worker' });
    const id = await job.waitUntilFinished(events, 20_000);
    const note = await Note.findById(id).lean();
    expect(note).toMatchObject({ courseId: 'job-course', text: 'from a worker', n: 13 });
  });

  it('does not retry a permanent failure and reports it once', async () => {
    const job: Job = await task.schedule({ courseId: 'bad', text: '' });
    await expect(job.waitUntilFinished(events, 20_000)).rejects.toThrow('text is empty');
    await new Promise((r) => setTimeout(r, 200));
    const reloaded = await Job.fromId(job.queue, job.id!);
    expect(reloaded?.attemptsMade).toBe(1);
    expect(task.failures).toEqual(['bad:text is empty']);
  });
});
