import { z } from 'zod';
import type { CanvasApiCredentials } from './canvasApiKeys';

/** The scope Keepup asks for: sending Inbox messages (Canvas scoped developer keys). */
export const CANVAS_CONVERSATIONS_SCOPE = 'url:POST|/api/v1/conversations';

const tokenResponse = z.object({
  access_token: z.string().min(1),
  token_type: z.string().optional(),
  refresh_token: z.string().min(1).optional(),
  expires_in: z.number().positive().optional(),
  user: z.object({ id: z.union([z.number(), z.string()]) }).passthrough().optional(),
});

/** What the token endpoint granted. */
export interface CanvasGrant {
  accessToken: string;
  /** Only on the code exchange (Canvas keeps the refresh token for the grant's life). */
  refreshToken?: string;
  /** When the access token expires; undefined when Canvas did not say. */
  expiresAt?: Date;
  canvasUserId?: string;
}

/** The token endpoint refused (4xx with an OAuth error) or failed; `permanent` when retrying cannot help. */
export class CanvasTokenError extends Error {
  constructor(
    message: string,
    readonly permanent: boolean,
  ) {
    super(message);
    this.name = 'CanvasTokenError';
  }
}

async function post(key: CanvasApiCredentials, fields: Record<string, string>): Promise<CanvasGrant> {
  const url = `${key.apiBase}/login/oauth2/token`;
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams({ client_id: key.clientId, client_secret: key.clientSecret, ...fields }),
      signal: AbortSignal.timeout(15_000),
    });
  } catch (error) {
    throw new CanvasTokenError(`Canvas token endpoint unreachable: ${(error as Error).message}`, false);
  }
  const text = await res.text();
  if (!res.ok) {
    const detail = /"error(?:_description)?"\s*:\s*"([^"]{1,200})"/.exec(text)?.[1] ?? text.slice(0, 200);
    throw new CanvasTokenError(`Canvas token endpoint answered ${res.status}: ${detail}`, res.status < 500 && res.status !== 429);
  }
  const parsed = tokenResponse.safeParse(JSON.parse(text || '{}'));
  if (!parsed.success) throw new CanvasTokenError('Canvas token endpoint answered without an access token', true);
  const t = parsed.data;
  return {
    accessToken: t.access_token,
    refreshToken: t.refresh_token,
    expiresAt: t.expires_in ? new Date(Date.now() + t.expires_in * 1000) : undefined,
    canvasUserId: t.user ? String(t.user.id) : undefined,
  };
}

/** Exchanges an authorization code (grant_type=authorization_code) for an access and refresh token. */
export function exchangeCanvasCode(key: CanvasApiCredentials, code: string, redirectUri: string): Promise<CanvasGrant> {
  return post(key, { grant_type: 'authorization_code', code, redirect_uri: redirectUri });
}

/** Gets a new access token from a refresh token (grant_type=refresh_token). */
export function refreshCanvasToken(key: CanvasApiCredentials, refreshToken: string): Promise<CanvasGrant> {
  return post(key, { grant_type: 'refresh_token', refresh_token: refreshToken });
}
