import { Types } from 'mongoose';
import { pullHandlerFor } from '../../jobs/events/coursePull';
import { log } from '../log';
import { DataConnection, type DataConnectionDoc } from '../storage/models/DataConnection';
import type { NightlyRunDoc } from '../storage/models/NightlyRun';
import { finishStep, startStep, stepFinished } from './runState';

/** Connection kinds the nightly run pulls from (inbound kinds push on their own). */
const PULLED_KINDS = ['canvas-rest', 'openedx-rest'];

/**
 * Pull step: runs the registered connector of every active outbound data connection of the course.
 * A course without connections (file imports, pushes) skips the step. One failing connection fails the
 * step (the job retries; connectors resume from their stored cursor), so scores never silently use stale data.
 */
export async function runPullStep(run: NightlyRunDoc): Promise<void> {
  if (stepFinished(run, 'pull')) return;
  await startStep(run._id, 'pull');
  const filter: Record<string, unknown> = { courseId: new Types.ObjectId(run.courseId), kind: { $in: PULLED_KINDS }, status: 'active' };
  const connections = (await DataConnection.find(filter).lean()) as unknown as DataConnectionDoc[];
  if (connections.length === 0) return finishStep(run._id, 'pull', 'skipped', 'no data connections to pull');
  const notes: string[] = [];
  for (const connection of connections) {
    const handler = pullHandlerFor(connection.kind);
    if (!handler) {
      notes.push(`${connection.kind}: no connector registered`);
      log.warn({ courseId: run.courseId, kind: connection.kind }, 'no pull connector registered for a data connection');
      continue;
    }
    const result = await handler(connection, { courseId: run.courseId, runDate: run.runDate });
    notes.push(`${connection.kind}: ${result.stored} stored`);
  }
  await finishStep(run._id, 'pull', 'done', notes.join('; '));
}
