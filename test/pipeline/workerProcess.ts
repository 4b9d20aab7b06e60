/**
 * A nightly worker process for the fault tests: the same tasks and scheduler watchdog as `keepup worker`,
 * against the test's database, Redis and private queue prefix (from the environment). Prints READY.
 */
import { configureJobs } from '../../jobs/connection';
import { startNightlyScheduler } from '../../jobs/scheduler';
import { TaskWorker } from '../../jobs/TaskWorker';
import { nightlyTasks } from '../../jobs/tasks/nightlyTasks';
import { connectMongo } from '../../src/storage/mongo';

async function main(): Promise<void> {
  const env = (name: string) => {
    const value = process.env[name];
    if (!value) throw new Error(`${name} is not set`);
    return value;
  };
  await connectMongo(env('MONGODB_URI'), { dbName: env('TEST_DB') });
  configureJobs({ redisUrl: env('REDIS_URL'), prefix: env('JOBS_PREFIX') });
  new TaskWorker(nightlyTasks(), { concurrency: 2 }).start();
  await startNightlyScheduler({ intervalMs: 500, staleMs: Number(process.env.STALE_MS ?? 5000) });
  process.stdout.write('READY\n');
}

main().catch((error) => {
  process.stderr.write(`${(error as Error).stack}\n`);
  process.exit(1);
});
