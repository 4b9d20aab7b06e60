import type { BaseTask } from '../BaseTask';
import { SyncRosterTask } from './SyncRosterTask';
import { DeliverOutboxItemTask } from './DeliverOutboxItemTask';
import { SendCampaignRoundTask } from './SendCampaignRoundTask';
import { nightlyTasks } from './nightlyTasks';

/**
 * Every task the worker process runs. Add a task here when you add its file.
 */
export function allTasks(): BaseTask<object>[] {
  return [new SyncRosterTask() as unknown as BaseTask<object>, new SendCampaignRoundTask() as unknown as BaseTask<object>, new DeliverOutboxItemTask() as unknown as BaseTask<object>, ...nightlyTasks()];
}
