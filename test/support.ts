import crypto from 'node:crypto';
import mongoose from 'mongoose';
import { Redis } from 'ioredis';
import { connectMongo } from '../src/storage/mongo';
import { createRedis } from '../src/storage/redis';

/** A unique suffix for names that must not collide between test files running in parallel. */
export function uniqueName(prefix: string): string {
  return `${prefix}_${crypto.randomBytes(4).toString('hex')}`;
}

/**
 * Connects mongoose to a fresh database of the test run's real MongoDB/FerretDB server and
 * registers hooks that drop it after the file. Call at the top of a describe block or file.
 */
export function useTestDb(): { dbName: string } {
  const state = { dbName: uniqueName('t') };
  beforeAll(async () => {
    await connectMongo(requireEnv('MONGODB_URI'), { dbName: state.dbName, attempts: 3 });
    await Promise.all(Object.values(mongoose.models).map((m) => m.init()));
  });
  afterAll(async () => {
    await mongoose.connection.db?.dropDatabase().catch(() => undefined);
    await mongoose.disconnect();
  });
  return state;
}

/** A Redis client and a BullMQ key prefix private to this test file; closed after the file. */
export function useTestRedis(): { redis: () => Redis; prefix: string } {
  const prefix = uniqueName('kt');
  let client: Redis | undefined;
  afterAll(async () => {
    if (client) {
      const keys = await client.keys(`${prefix}:*`);
      if (keys.length) await client.del(...keys);
      await client.quit();
    }
  });
  return {
    prefix,
    redis: () => (client ??= createRedis(requireEnv('REDIS_URL'))),
  };
}

/** Reads an environment variable globalSetup must have set. */
export function requireEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run tests through jest so test/globalSetup.ts starts the services`);
  return value;
}
