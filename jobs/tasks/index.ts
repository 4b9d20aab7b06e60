import type { BaseTask } from '../BaseTask';
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

/**
 * Every task the worker process runs. Add a task here when you add its file.
 */
export function allTasks(): BaseTask<object>[] {
  return [new SyncRosterTask() as unknown as BaseTask<object>, new SendCampaignRoundTask() as unknown as BaseTask<object>, new DeliverOutboxItemTask() as unknown as BaseTask<object>, new RefreshNudgeCacheTask() as unknown as BaseTask<object>, new ComputeExperimentOutcomesTask() as unknown as BaseTask<object>, ...nightlyTasks(), ...ingestTasks()];
}

/** Ingestion tasks: pulls, file imports, raw-event purge. */
function ingestTasks(): BaseTask<object>[] {
  return [new CanvasPullTask(), new OpenEdxPullTask(), new ImportFileTask(), new PurgeRawEventsTask()] as unknown as BaseTask<object>[];
}
