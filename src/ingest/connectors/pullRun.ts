import type { Types } from 'mongoose';
import { DataConnection, type DataConnectionDoc } from '../../storage/models/DataConnection';
import { ImportRun } from '../../storage/models/ImportRun';
import type { IngestSession } from '../ingestSession';

/** Where a pull is: the stage and the next page URL (saved after every page, so a crashed pull resumes there). */
export interface PullCursor {
  stage: string;
  url?: string;
  /** Stage-specific progress (e.g. the index of the next learner to fetch). */
  index?: number;
}

/** Saves the cursor of a pull in progress. */
export async function saveCursor(connectionId: Types.ObjectId, cursor: PullCursor | null): Promise<void> {
  await DataConnection.updateOne({ _id: connectionId }, { $set: { cursor } });
}

/** Records a finished pull: its counts in `import_runs`, the new watermark on the connection, the cursor cleared. */
export async function finishPull(connection: DataConnectionDoc, format: string, session: IngestSession, watermark: Record<string, unknown>, extra: { requests: number; throttled: number }): Promise<void> {
  await session.finish();
  const summary = session.stats.summary();
  await ImportRun.create({
    source: 'pull',
    format,
    platform: connection.platform,
    connectionId: connection._id,
    courseIds: [...session.courseIds],
    status: 'completed',
    ...summary,
    watermark: { ...watermark, requests: extra.requests, throttled: extra.throttled },
    finishedAt: new Date(),
  });
  await DataConnection.updateOne({ _id: connection._id }, { $set: { watermark, cursor: null, lastRunAt: new Date() } });
}
