import crypto from 'node:crypto';
import type { Redis } from 'ioredis';

/** How long a Dynamic Registration URL made in the admin area stays usable. */
export const INVITE_TTL_SECONDS = 7 * 86_400;

const key = (prefix: string, code: string) => `${prefix}:lti:dr-invite:${crypto.createHash('sha256').update(code).digest('hex')}`;

/**
 * Dynamic Registration is only open to URLs an admin created: each carries a random invite code (stored
 * hashed, expiring) that a successful registration uses up. Without it anyone could register a platform.
 */
export const registrationInvites = {
  /** A new invite code. */
  async create(redis: Redis, prefix: string, ttlSeconds = INVITE_TTL_SECONDS): Promise<string> {
    const code = crypto.randomBytes(18).toString('base64url');
    await redis.set(key(prefix, code), String(Date.now()), 'EX', ttlSeconds);
    return code;
  },
  /** True while the code is valid. */
  async isValid(redis: Redis, prefix: string, code: unknown): Promise<boolean> {
    return typeof code === 'string' && /^[\w-]{8,64}$/.test(code) && (await redis.exists(key(prefix, code))) === 1;
  },
  /** Uses the code up; true if it was still valid (atomic). */
  async consume(redis: Redis, prefix: string, code: string): Promise<boolean> {
    return (await redis.del(key(prefix, code))) === 1;
  },
};
