import { BaseTask } from '../BaseTask';
import { pullOpenEdxCourse } from '../../src/ingest/connectors/openedxPull';
import type { ImportSummary } from '../../src/ingest/importStats';
import type { PullProps } from './CanvasPullTask';

/** Pulls an Open edX course's enrollments, grades, certificates, completion and blocks (resumable). */
export class OpenEdxPullTask extends BaseTask<PullProps, ImportSummary> {
  readonly jobName = 'ingest.openedxPull';
  readonly queue = 'ingest' as const;

  async perform(props: PullProps): Promise<ImportSummary> {
    return pullOpenEdxCourse(props.connectionId);
  }

  override get options() {
    return { ...super.options, attempts: 5, backoff: { type: 'exponential', delay: 30_000 } };
  }
}
