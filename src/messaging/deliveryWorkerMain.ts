import { TaskWorker } from '../../jobs/TaskWorker';
import { configureJobs, closeJobsConnection } from '../../jobs/connection';
import { closeQueues } from '../../jobs/queues';
import type { AnyTask } from '../../jobs/BaseTask';
import { DeliverOutboxItemTask } from '../../jobs/tasks/DeliverOutboxItemTask';
import { SendCampaignRoundTask } from '../../jobs/tasks/SendCampaignRoundTask';
import { connectMongo, disconnectMongo } from '../storage/mongo';

/**
 * A worker process that only sends messages (campaign rounds and outbox deliveries), for deployments that
 * scale sending separately and for the crash test. Reads MONGODB_URI, REDIS_URL, SMTP_URL, PUBLIC_URL,
 * MAIL_FROM, KEEPUP_JOBS_PREFIX and KEEPUP_MESSAGES_CONCURRENCY; prints `ready` once consuming.
 */
async function main(): Promise<void> {
  const mongoUri = process.env.MONGODB_URI;
  const redisUrl = process.env.REDIS_URL;
  if (!mongoUri || !redisUrl) throw new Error('MONGODB_URI and REDIS_URL are required');
  await connectMongo(mongoUri);
  configureJobs({ redisUrl, prefix: process.env.KEEPUP_JOBS_PREFIX || undefined });
  const tasks = [new SendCampaignRoundTask(), new DeliverOutboxItemTask()];
  const worker = new TaskWorker(tasks, { concurrency: Number(process.env.KEEPUP_MESSAGES_CONCURRENCY) || 4 }).start();
  process.stdout.write('ready\n');
  const stop = async () => {
    await worker.close();
    await closeQueues();
    await closeJobsConnection();
    await disconnectMongo();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop());
  process.once('SIGINT', () => void stop());
}

main().catch((error: Error) => {
  process.stderr.write(`delivery worker failed: ${error.message}\n`);
  process.exit(1);
});
