import { refreshNudgeCache } from '../../src/nudges/refreshNudgeCache';
import { BaseTask } from '../BaseTask';
import { jobsSettings, queueConnection } from '../connection';

export interface RefreshNudgeCacheProps {
  courseId: string;
}

/**
 * Rebuilds a course's widget content (assigning learners new to its running experiment first), writing
 * MongoDB and the Redis copies the widget reads. Idempotent: a retry rebuilds the same content.
 */
export class RefreshNudgeCacheTask extends BaseTask<RefreshNudgeCacheProps> {
  readonly jobName = 'nudges.refreshCache';
  readonly queue = 'nightly' as const;

  async perform(props: RefreshNudgeCacheProps) {
    return refreshNudgeCache({ courseId: props.courseId, redis: queueConnection(), prefix: jobsSettings().prefix });
  }
}
