import IORedis, { Redis } from 'ioredis';

/**
 * Creates an ioredis client configured as BullMQ requires (`maxRetriesPerRequest: null` so
 * blocking worker commands survive reconnects).
 */
export function createRedis(url: string, options: { lazyConnect?: boolean } = {}): Redis {
  return new IORedis(url, { maxRetriesPerRequest: null, enableReadyCheck: true, lazyConnect: options.lazyConnect });
}

/** True when Redis answers PING within the timeout. */
export async function pingRedis(client: Redis, timeoutMs = 1000): Promise<boolean> {
  try {
    const reply = await Promise.race([
      client.ping(),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timeout')), timeoutMs)),
    ]);
    return reply === 'PONG';
  } catch {
    return false;
  }
}
