import type { BaseTask } from '../BaseTask';

/**
 * Every task the worker process runs. Add a task here when you add its file.
 */
export function allTasks(): BaseTask<object>[] {
  return [];
}
