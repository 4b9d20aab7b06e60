import crypto from 'node:crypto';
import jwt from 'jsonwebtoken';
import type { SimTool } from './SimPlatform';

/**
 * Verifies a JWT a tool signed (client assertion, deep linking response) the way a platform must: RS256 only,
 * key from the tool's registered JWKS URL by kid, exp required. Returns the payload or throws with a reason.
 */
export async function verifyToolJwt(token: string, tool: SimTool, audience: string | string[]): Promise<Record<string, unknown>> {
  const decoded = jwt.decode(token, { complete: true });
  if (!decoded || typeof decoded.payload !== 'object') throw new Error('not a JWT');
  if (decoded.header.alg !== 'RS256') throw new Error(`alg ${decoded.header.alg} not allowed`);
  if (!decoded.header.kid) throw new Error('no kid in header');
  const res = await fetch(tool.jwksUrl, { signal: AbortSignal.timeout(5000) });
  if (!res.ok) throw new Error(`tool keyset ${tool.jwksUrl} answered ${res.status}`);
  const jwks = (await res.json()) as { keys?: Array<Record<string, unknown>> };
  const jwk = jwks.keys?.find((k) => k.kid === decoded.header.kid);
  if (!jwk) throw new Error(`kid ${decoded.header.kid} not in the tool keyset`);
  const key = crypto.createPublicKey({ key: jwk, format: 'jwk' } as crypto.JsonWebKeyInput);
  const payload = jwt.verify(token, key, { algorithms: ['RS256'], audience: audience as string | [string, ...string[]], clockTolerance: 5 }) as Record<string, unknown>;
  if (typeof payload.exp !== 'number') throw new Error('exp missing');
  return payload;
}
