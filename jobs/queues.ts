import { Queue } from 'bullmq';
import { jobsSettings, queueConnection } from './connection';

/**
 * Keepup's queues, one per kind of work so each can be scaled and rate-limited on its own:
 * `ingest` (imports and platform pulls), `nightly` (per-course pipeline), `messages` (campaign delivery),
 * `maintenance` (purges, roster syncs, key rotation).
 */
export const QUEUE_NAMES = ['ingest', 'nightly', 'messages', 'maintenance'] as const;
export type QueueName = (typeof QUEUE_NAMES)[number];

const queues = new Map<QueueName, Queue>();

/** The producer-side Queue for a name, created on first use. */
export function getQueue(name: QueueName): Queue {
  let queue = queues.get(name);
  if (!queue) {
    queue = new Queue(name, { connection: queueConnection(), prefix: jobsSettings().prefix });
    queues.set(name, queue);
  }
  return queue;
}

/** Closes every queue opened by this process. */
export async function closeQueues(): Promise<void> {
  await Promise.all([...queues.values()].map((q) => q.close()));
  queues.clear();
}
