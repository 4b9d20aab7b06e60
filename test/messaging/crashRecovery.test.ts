import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { configureJobs, closeJobsConnection } from '../../jobs/connection';
import { closeQueues } from '../../jobs/queues';
import { SendCampaignRoundTask } from '../../jobs/tasks/SendCampaignRoundTask';
import { allocateRound } from '../../src/messaging/campaignRounds';
import { startSmtpSink, RunningSmtpSink } from '../../src/messaging/demo/smtpSink';
import { Campaign } from '../../src/storage/models/Campaign';
import { Message } from '../../src/storage/models/Message';
import { OutboxItem } from '../../src/storage/models/OutboxItem';
import { requireEnv, useTestDb, useTestRedis } from '../support';
import { buildCourse, seedRun } from './factories';

const LEARNERS = 1000;
const CONCURRENCY = 8;
const WORKER = path.join(__dirname, '../../dist/src/messaging/deliveryWorkerMain.js');

/**
 * The sending worker is a separate node process (the compiled dist build, as in production) running against this
 * test's MongoDB, Redis and a real SMTP listener. It is killed with SIGKILL halfway through a 1,000-learner
 * campaign and started again: every learner ends up with exactly one message.
 */
describe('SIGKILL of the sending worker halfway through a campaign', () => {
  const db = useTestDb();
  const redis = useTestRedis();
  let sink: RunningSmtpSink;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    if (!fs.existsSync(WORKER)) throw new Error(`${WORKER} is missing: run npm run build first (npm test does)`);
    sink = await startSmtpSink();
    configureJobs({ redisUrl: requireEnv('REDIS_URL'), prefix: redis.prefix });
  });
  afterAll(async () => {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await closeQueues();
    await closeJobsConnection();
    await sink?.close();
  });

  function startWorker(): Promise<ChildProcess> {
    const uri = new URL(requireEnv('MONGODB_URI'));
    uri.pathname = `/${db.dbName}`;
    const child = spawn(process.execPath, [WORKER], {
      env: {
        ...process.env,
        MONGODB_URI: uri.toString(),
        SMTP_URL: sink.url,
        PUBLIC_URL: 'http://keepup.test',
        MAIL_FROM: 'keepup@keepup.test',
        KEEPUP_JOBS_PREFIX: redis.prefix,
        KEEPUP_MESSAGES_CONCURRENCY: String(CONCURRENCY),
        KEEPUP_OUTBOX_LEASE_MS: '5000',
        LOG_LEVEL: process.env.CRASH_TEST_LOG ?? 'silent',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    let errors = '';
    child.stderr!.on('data', (d) => (errors += d));
    if (process.env.CRASH_TEST_LOG) child.stdout!.on('data', (d) => fs.appendFileSync('/tmp/crash-worker.log', d));
    return new Promise((resolve, reject) => {
      child.stdout!.on('data', (d) => String(d).includes('ready') && resolve(child));
      child.once('exit', (code) => reject(new Error(`worker exited with ${code}: ${errors}`)));
    });
  }

  it('delivers exactly one message to each of 1,000 learners after a SIGKILL and a restart', async () => {
    const course = await buildCourse();
    await seedRun(
      course._id,
      '2024-05-01',
      Array.from({ length: LEARNERS }, (_, i) => ({ givenName: `L${i}`, email: `learner${i}@example.edu`, dropout: 0.8, completion: 0.2, certificate: 0.1 })),
    );
    const campaign = await Campaign.create({ courseId: course._id, name: 'Come back', status: 'active', subject: 'We miss you, [:firstname:]', body: 'Hi [:firstname:]', audience: { dropout: { min: 0.6, max: 1 } }, createdBy: { userSub: 'instructor' } });
    const round = await allocateRound(campaign._id);
    await new SendCampaignRoundTask().schedule({ campaignId: String(campaign._id), round });

    const first = await startWorker();
    await sink.waitFor(LEARNERS / 2, 120_000);
    first.kill('SIGKILL');
    await new Promise((resolve) => first.once('exit', resolve));
    const atKill = sink.messages.length;
    expect(atKill).toBeLessThan(LEARNERS);
    const inFlight = await OutboxItem.countDocuments({ campaignId: campaign._id, status: 'sending' });

    const second = await startWorker();
    await sink.waitFor(LEARNERS, 150_000);
    await new Promise((r) => setTimeout(r, 1000));
    second.kill('SIGTERM');

    const recipients = sink.messages.map((m) => m.envelopeTo[0]);
    expect(new Set(recipients).size).toBe(LEARNERS);
    expect(recipients.length).toBe(LEARNERS);
    expect(new Set(recipients)).toEqual(new Set(Array.from({ length: LEARNERS }, (_, i) => `learner${i}@example.edu`)));
    expect(await OutboxItem.countDocuments({ campaignId: campaign._id, status: 'sent' })).toBe(LEARNERS);
    expect(await Message.countDocuments({ campaignId: campaign._id })).toBe(LEARNERS);
    // A row in flight at the kill may have reached the listener before its `sent` mark: it is retried with the
    // same Message-ID, which the mailbox stores once. Raw SMTP transactions can exceed 1,000 by at most those rows.
    expect(sink.deliveries() - LEARNERS).toBeLessThanOrEqual(Math.max(inFlight, CONCURRENCY));
    console.log(JSON.stringify({ atKill, inFlightAtKill: inFlight, rawDeliveries: sink.deliveries(), storedMessages: sink.messages.length }));
  }, 300_000);
});
