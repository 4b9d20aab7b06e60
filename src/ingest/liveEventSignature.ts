import crypto from 'node:crypto';
import jwt from 'jsonwebtoken';

interface Jwks {
  keys: Array<JsonWebKey & { kid?: string }>;
}

const remote = new Map<string, { jwks: Jwks; fetchedAt: number }>();
const REFETCH_AFTER_MS = 10 * 60_000;

async function fetchJwks(url: string, force: boolean): Promise<Jwks> {
  const cached = remote.get(url);
  if (cached && !force && Date.now() - cached.fetchedAt < REFETCH_AFTER_MS) return cached.jwks;
  const res = await fetch(url, { signal: AbortSignal.timeout(5000) });
  if (!res.ok) throw new Error(`the keyset ${url} answered ${res.status}`);
  const jwks = (await res.json()) as Jwks;
  remote.set(url, { jwks, fetchedAt: Date.now() });
  return jwks;
}

/**
 * Verifies a signed Canvas Live Event (a JWT whose claims are the event) against a JWKS given inline
 * or by URL (Canvas rotates its keys monthly and publishes previous, current and next: an unknown `kid`
 * refetches the URL once). Returns the claims; throws when the signature or key does not check out.
 */
export async function verifyLiveEventJwt(token: string, source: { jwks?: string | null; jwksUrl?: string | null }): Promise<Record<string, unknown>> {
  const decoded = jwt.decode(token, { complete: true });
  if (!decoded || typeof decoded.payload === 'string') throw new Error('the body is not a JWT');
  const kid = decoded.header.kid;
  const find = (set: Jwks) => set.keys.find((k) => (kid ? k.kid === kid : true));
  let key = source.jwks ? find(JSON.parse(source.jwks) as Jwks) : undefined;
  if (!key && source.jwksUrl) key = find(await fetchJwks(source.jwksUrl, false)) ?? find(await fetchJwks(source.jwksUrl, true));
  if (!key) throw new Error(`no key ${kid ?? '(no kid)'} in the configured keyset`);
  const publicKey = crypto.createPublicKey({ key, format: 'jwk' });
  return jwt.verify(token, publicKey, { algorithms: ['RS256', 'RS384', 'RS512', 'ES256', 'ES384', 'PS256'] }) as Record<string, unknown>;
}
