import type { AnyTask } from '../BaseTask';
import { SyncRosterTask } from './SyncRosterTask';
import { DeliverOutboxItemTask } from './DeliverOutboxItemTask';
import { SendCampaignRoundTask } from './SendCampaignRoundTask';
import { RefreshNudgeCacheTask } from './RefreshNudgeCacheTask';
import { ComputeExperimentOutcomesTask } from './ComputeExperimentOutcomesTask';
import { nightlyTasks } from './nightlyTasks';
import { CanvasPullTask } from './CanvasPullTask';
import { OpenEdxPullTask } from './OpenEdxPullTask';
import { ImportFileTask } from './ImportFileTask';
import { PurgeRawEventsTask } from './PurgeRawEventsTask';
import { CompactActivityTask } from './CompactActivityTask';
import { ComputeInsightsTask } from './ComputeInsightsTask';

/**
 * Every task the worker process runs. Add a task here when you add its file.
 */
export function allTasks(): AnyTask[] {
  return [new SyncRosterTask(), new SendCampaignRoundTask(), new DeliverOutboxItemTask(), new RefreshNudgeCacheTask(), new ComputeExperimentOutcomesTask(), ...nightlyTasks(), ...ingestTasks(), new ComputeInsightsTask()];
}

/** Ingestion tasks: pulls, file imports, raw-event purge, activity compaction. */
function ingestTasks(): AnyTask[] {
  return [new CanvasPullTask(), new OpenEdxPullTask(), new ImportFileTask(), new PurgeRawEventsTask(), new CompactActivityTask()];
}
