import { startServices } from '../scripts/services/startServices';

/**
 * Starts the real services every integration suite talks to (FerretDB or MONGODB_URI, Redis)
 * once per jest run, and exports their addresses to the test workers through the environment.
 */
export default async function globalSetup(): Promise<void> {
  const services = await startServices();
  process.env.MONGODB_URI = services.mongoUri;
  process.env.REDIS_URL = services.redisUrl;
  process.env.NODE_ENV = 'test';
  process.env.KEEPUP_ENCRYPTION_KEY ??= 'test-encryption-key-0123456789abcdef0123';
  process.env.KEEPUP_SESSION_SECRET ??= 'test-session-secret-0123456789abcdef01234';
  (globalThis as Record<string, unknown>).__keepupServices = services;
}
