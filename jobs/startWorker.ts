import type { Config } from '../src/config';
import { log } from '../src/log';
import { connectMongo, disconnectMongo } from '../src/storage/mongo';
import { closeJobsConnection, configureJobs } from './connection';
import { closeQueues } from './queues';
import { allTasks } from './tasks';
import { PurgeRawEventsTask } from './tasks/PurgeRawEventsTask';
import { CompactActivityTask } from './tasks/CompactActivityTask';
import { registerPullHandlers } from '../src/ingest/connectors/registerPullHandlers';
import { TaskWorker } from './TaskWorker';
import { AutoCampaignProcessor } from './tasks/AutoCampaignProcessor';
import { WarmDashboardProcessor } from './tasks/WarmDashboardProcessor';
import { NudgeProcessor } from './tasks/NudgeProcessor';
import { ComputeInsightsTask } from './tasks/ComputeInsightsTask';
import { startNightlyScheduler } from './scheduler';
import { closeNightlyFlows } from './tasks/nightlyStages';

export interface RunningWorker {
  /** Finishes jobs in progress, then closes every connection. */
  close(): Promise<void>;
}

/** Starts a worker process's task workers against MongoDB and Redis. */
export async function startWorker(config: Config, options: { concurrency?: number } = {}): Promise<RunningWorker> {
  await connectMongo(config.MONGODB_URI);
  configureJobs({ redisUrl: config.REDIS_URL });
  const stopAutoCampaigns = new AutoCampaignProcessor().register();
  const stopWarmDashboard = new WarmDashboardProcessor().register();
  const stopNudges = new NudgeProcessor().register();
  const stopInsights = ComputeInsightsTask.register();
  registerPullHandlers();
  await new PurgeRawEventsTask().upsertSchedule({ id: 'ingest:purge-raw-events', pattern: '30 3 * * *', tz: 'UTC', props: {} });
  await new CompactActivityTask().upsertSchedule({ id: 'ingest:compact-activity', pattern: '0 3 * * *', tz: 'UTC', props: {} });
  const worker = new TaskWorker(allTasks(), options).start();
  const nightly = await startNightlyScheduler();
  log.info('worker started');
  return {
    async close() {
      await nightly.close();
      await worker.close();
      await closeNightlyFlows();
      stopAutoCampaigns();
      stopWarmDashboard();
      stopNudges();
      stopInsights();
      await closeQueues();
      await closeJobsConnection();
      await disconnectMongo();
      log.info('worker stopped');
    },
  };
}
