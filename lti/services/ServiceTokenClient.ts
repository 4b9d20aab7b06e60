import crypto from 'node:crypto';
import type { Redis } from 'ioredis';
import jwt from 'jsonwebtoken';
import { z } from 'zod';
import type { PlatformDoc } from '../../src/storage/models/Platform';
import type { KeyStore } from '../keys/KeyStore';

/** A platform refused or failed a service call; `retryable` tells jobs whether trying again may help. */
export class PlatformServiceError extends Error {
  constructor(message: string, readonly status: number, readonly retryable: boolean) {
    super(message);
    this.name = 'PlatformServiceError';
  }
}

const tokenResponseSchema = z.object({ access_token: z.string().min(1), token_type: z.string(), expires_in: z.coerce.number().positive().optional(), scope: z.string().optional() });

/**
 * OAuth2 client-credentials tokens for LTI Advantage services (1EdTech Security Framework §4.1): a
 * `private_key_jwt` client assertion signed with our current key. Tokens are cached in Redis per platform
 * and scope set until one minute before they expire, so every process shares them.
 */
export class ServiceTokenClient {
  constructor(
    private readonly redis: Redis,
    private readonly keys: KeyStore,
    private readonly prefix: string,
  ) {}

  /** A bearer token for these scopes on this platform, from the cache or freshly requested. */
  async token(platform: Pick<PlatformDoc, '_id' | 'clientId' | 'tokenUrl' | 'authServer'>, scopes: string[]): Promise<string> {
    const scope = [...new Set(scopes)].sort().join(' ');
    const cacheKey = `${this.prefix}:lti:svc-token:${String(platform._id)}:${crypto.createHash('sha256').update(scope).digest('hex').slice(0, 16)}`;
    const cached = await this.redis.get(cacheKey);
    if (cached) return cached;
    const { kid, privateKey } = await this.keys.signingKey();
    const assertion = jwt.sign({ jti: crypto.randomUUID() }, privateKey, {
      algorithm: 'RS256',
      keyid: kid,
      issuer: platform.clientId,
      subject: platform.clientId,
      audience: platform.authServer || platform.tokenUrl,
      expiresIn: 300,
    });
    let res: Response;
    try {
      res = await fetch(platform.tokenUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
          client_assertion: assertion,
          scope,
        }),
        signal: AbortSignal.timeout(10_000),
      });
    } catch (error) {
      throw new PlatformServiceError(`Token endpoint ${platform.tokenUrl} unreachable: ${(error as Error).message}`, 503, true);
    }
    const text = await res.text();
    if (!res.ok) throw new PlatformServiceError(`Token endpoint ${platform.tokenUrl} answered ${res.status}: ${text.slice(0, 200)}`, res.status, res.status >= 500 || res.status === 429);
    const parsed = tokenResponseSchema.safeParse(safeJson(text));
    if (!parsed.success) throw new PlatformServiceError(`Token endpoint ${platform.tokenUrl} returned no access_token`, 502, true);
    const ttl = Math.max(1, Math.floor((parsed.data.expires_in ?? 3600) - 60));
    await this.redis.set(cacheKey, parsed.data.access_token, 'EX', ttl);
    return parsed.data.access_token;
  }
}

/** Parses JSON, or undefined when the text is not JSON. */
export function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
