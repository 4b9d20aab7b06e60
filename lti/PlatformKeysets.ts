import crypto, { KeyObject } from 'node:crypto';
import { z } from 'zod';
import { LaunchError } from './LaunchError';

export interface PlatformKeysetsOptions {
  /** How long a fetched keyset is trusted before it is fetched again, ms. Default 10 minutes. */
  ttlMs?: number;
  /** Minimum time between two refetches of one keyset triggered by unknown kids, ms (stops kid-spraying from hammering the platform). Default 2000. */
  minRefetchMs?: number;
  /** Timeout of one fetch, ms. Default 5000. */
  timeoutMs?: number;
}

const jwksSchema = z.object({ keys: z.array(z.object({ kid: z.string().optional(), kty: z.string() }).passthrough()) });

interface Entry {
  keys: Array<Record<string, unknown> & { kid?: string; kty: string }>;
  fetchedAt: number;
}

/**
 * Platform public keysets (JWKS), cached per URL and refetched when a token names a kid the cache does
 * not hold (key rotation on the platform side), at most once per `minRefetchMs`.
 */
export class PlatformKeysets {
  private readonly cache = new Map<string, Entry>();
  private readonly inflight = new Map<string, Promise<Entry>>();
  /** When a keyset was last refetched because of an unknown kid. */
  private readonly missRefetchAt = new Map<string, number>();
  private readonly opts: Required<PlatformKeysetsOptions>;

  constructor(options: PlatformKeysetsOptions = {}) {
    this.opts = { ttlMs: 10 * 60_000, minRefetchMs: 2000, timeoutMs: 5000, ...options };
  }

  /** The RSA public key with this kid from the keyset at `url`; LaunchError `unknown_kid` when it is not there even after a refetch. */
  async keyFor(url: string, kid: string): Promise<KeyObject> {
    let entry = this.cache.get(url);
    if (!entry || Date.now() - entry.fetchedAt > this.opts.ttlMs) entry = await this.fetch(url);
    let jwk = entry.keys.find((k) => k.kid === kid);
    const lastMiss = this.missRefetchAt.get(url) ?? 0;
    if (!jwk && Date.now() - lastMiss >= this.opts.minRefetchMs) {
      this.missRefetchAt.set(url, Date.now());
      entry = await this.fetch(url);
      jwk = entry.keys.find((k) => k.kid === kid);
    }
    if (!jwk) {
      throw new LaunchError('unknown_kid', `The platform's keyset has no key with kid "${kid}".`, `Check the keyset URL registered for this platform (${url}) and that the platform publishes the key it signs with.`);
    }
    if (jwk.kty !== 'RSA') throw new LaunchError('unknown_kid', `The key "${kid}" is not an RSA key.`, `The keyset at ${url} must publish RSA keys for RS256.`);
    try {
      return crypto.createPublicKey({ key: jwk, format: 'jwk' } as crypto.JsonWebKeyInput);
    } catch {
      throw new LaunchError('keyset_unavailable', `The key "${kid}" in the platform's keyset is malformed.`, `Check the keyset at ${url}.`);
    }
  }

  /** Forgets every cached keyset (tests, or after an admin edits a platform). */
  clear(): void {
    this.cache.clear();
  }

  private fetch(url: string): Promise<Entry> {
    let pending = this.inflight.get(url);
    if (!pending) {
      pending = this.load(url).finally(() => this.inflight.delete(url));
      this.inflight.set(url, pending);
    }
    return pending;
  }

  private async load(url: string): Promise<Entry> {
    let body: unknown;
    try {
      const res = await fetch(url, { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(this.opts.timeoutMs) });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      body = await res.json();
    } catch (error) {
      throw new LaunchError('keyset_unavailable', "The platform's keyset could not be fetched.", `Keepup could not read ${url} (${(error as Error).message}). Check the keyset URL and that Keepup can reach it.`, 502);
    }
    const parsed = jwksSchema.safeParse(body);
    if (!parsed.success) throw new LaunchError('keyset_unavailable', "The platform's keyset is not a JWKS document.", `${url} must return {"keys": [...]}.`, 502);
    const entry = { keys: parsed.data.keys, fetchedAt: Date.now() };
    this.cache.set(url, entry);
    return entry;
  }
}
