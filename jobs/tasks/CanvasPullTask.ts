import { BaseTask } from '../BaseTask';
import { pullCanvasCourse } from '../../src/ingest/connectors/canvasPull';
import type { ImportSummary } from '../../src/ingest/importStats';

export interface PullProps {
  connectionId: string;
}

/**
 * Pulls a Canvas course over the REST API (incremental from the connection's watermark; a retried or
 * crashed run resumes from the saved page cursor, and facts already stored are not counted again).
 */
export class CanvasPullTask extends BaseTask<PullProps, ImportSummary> {
  readonly jobName = 'ingest.canvasPull';
  readonly queue = 'ingest' as const;

  async perform(props: PullProps): Promise<ImportSummary> {
    return pullCanvasCourse(props.connectionId);
  }

  override get options() {
    return { ...super.options, attempts: 5, backoff: { type: 'exponential', delay: 30_000 } };
  }
}
