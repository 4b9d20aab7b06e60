import crypto from 'node:crypto';
import type { Redis } from 'ioredis';
import { z } from 'zod';

/** What Keepup remembers between the OIDC login initiation and the launch. */
export interface LoginState {
  platformId: string;
  iss: string;
  clientId: string;
  nonce: string;
  /** sha256 of the browser-binding cookie set at login. */
  browserHash: string;
  /** Frame name the platform offered for LTI platform storage (`lti_storage_target`), when it did. */
  storageTarget?: string;
  /** Origin of the platform's OIDC endpoint: where platform-storage postMessages go. */
  platformOrigin: string;
  createdAt: number;
}

const loginStateSchema = z.object({
  platformId: z.string(),
  iss: z.string(),
  clientId: z.string(),
  nonce: z.string(),
  browserHash: z.string(),
  storageTarget: z.string().optional(),
  platformOrigin: z.string(),
  createdAt: z.number(),
});

export type NonceOutcome = { status: 'ok'; state: string } | { status: 'replayed' } | { status: 'unknown' };

/**
 * OIDC `state` and `nonce` in Redis with expiry. Both are single use, made atomic with GETDEL: two
 * concurrent launches with the same value cannot both succeed. A consumed nonce leaves a marker for the
 * rest of its lifetime so a replay is reported as such rather than as "never issued".
 */
export class LoginStateStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    /** Lifetime of a login, seconds. Default 600: the user has ten minutes to finish the platform redirect. */
    private readonly ttlSeconds = 600,
  ) {}

  /** Issues a fresh state and nonce for a login. */
  async create(input: Omit<LoginState, 'nonce' | 'createdAt'>): Promise<{ state: string; nonce: string }> {
    const state = crypto.randomBytes(24).toString('base64url');
    const nonce = crypto.randomBytes(24).toString('base64url');
    const record: LoginState = { ...input, nonce, createdAt: Date.now() };
    const ok = await this.redis
      .multi()
      .set(this.key('state', state), JSON.stringify(record), 'EX', this.ttlSeconds, 'NX')
      .set(this.key('nonce', nonce), state, 'EX', this.ttlSeconds, 'NX')
      .exec();
    if (!ok || ok.some(([error, reply]) => error || reply !== 'OK')) throw new Error('Could not store the login state');
    return { state, nonce };
  }

  /** Takes (and deletes) the login for a state; null when unknown, expired or already used. */
  async takeState(state: string): Promise<LoginState | null> {
    if (!/^[\w-]{16,128}$/.test(state)) return null;
    const raw = await this.redis.getdel(this.key('state', state));
    if (!raw) return null;
    const parsed = loginStateSchema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : null;
  }

  /** Consumes a nonce: `ok` (with the state it was issued for) exactly once, then `replayed`; `unknown` if never issued here. */
  async consumeNonce(nonce: string): Promise<NonceOutcome> {
    if (!/^[\w-]{1,256}$/.test(nonce)) return { status: 'unknown' };
    const state = await this.redis.getdel(this.key('nonce', nonce));
    if (state) {
      await this.redis.set(this.key('nonce-used', nonce), '1', 'EX', this.ttlSeconds);
      return { status: 'ok', state };
    }
    return (await this.redis.exists(this.key('nonce-used', nonce))) ? { status: 'replayed' } : { status: 'unknown' };
  }

  private key(kind: string, value: string): string {
    return `${this.prefix}:lti:${kind}:${value}`;
  }
}

/** sha256 hex of a browser-binding cookie value (only the hash is stored). */
export function hashBrowserId(value: string): string {
  return crypto.createHash('sha256').update(value).digest('hex');
}
