import type { Redis } from 'ioredis';
import { createRedis } from '../src/storage/redis';

interface JobsSettings {
  redisUrl: string;
  /** BullMQ key prefix; tests use a private one so parallel files never share queues. Default `keepup`. */
  prefix: string;
}

let settings: JobsSettings | undefined;
let shared: Redis | undefined;

/** Sets where queues live. Call once per process before scheduling or starting workers. */
export function configureJobs(next: { redisUrl: string; prefix?: string }): void {
  settings = { redisUrl: next.redisUrl, prefix: next.prefix ?? 'keepup' };
  shared = undefined;
}

/** The configured settings; throws a plain error when configureJobs was not called. */
export function jobsSettings(): JobsSettings {
  if (!settings) throw new Error('Jobs are not configured: call configureJobs({ redisUrl }) first');
  return settings;
}

/** One shared connection for queues (producers). Workers open their own, as BullMQ requires for blocking reads. */
export function queueConnection(): Redis {
  return (shared ??= createRedis(jobsSettings().redisUrl));
}

/** A fresh connection (for a worker or a QueueEvents listener). */
export function newConnection(): Redis {
  return createRedis(jobsSettings().redisUrl);
}

/** Closes the shared producer connection. */
export async function closeJobsConnection(): Promise<void> {
  const client = shared;
  shared = undefined;
  if (client) await client.quit().catch(() => client.disconnect());
}
