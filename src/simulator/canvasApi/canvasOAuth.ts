import crypto from 'node:crypto';
import express, { Router, type Response } from 'express';
import { esc, page } from '../html';
import type { SimPlatform } from '../SimPlatform';
import type { Simulator } from '../Simulator';

/** A Canvas API developer key (not an LTI key): what an admin creates so a tool can ask users for API tokens. */
export interface SimApiDeveloperKey {
  clientId: string;
  clientSecret: string;
  name: string;
  /** The key's redirect URI; a request's redirect_uri must be on its host (or a subdomain of it). */
  redirectUri: string;
  /** Scopes the key allows (Canvas "enforce scopes"); every requested scope must be among them. */
  scopes: string[];
  /** Access token lifetime, seconds (Canvas: 3600). */
  tokenTtlSeconds: number;
}

interface Grant {
  clientId: string;
  userId: string;
  scopes: string[];
}

interface OAuthState {
  keys: Map<string, SimApiDeveloperKey>;
  /** Authorization requests waiting for the user's answer on the consent page. */
  pending: Map<string, { clientId: string; redirectUri: string; state?: string; scopes: string[] }>;
  codes: Map<string, Grant & { redirectUri: string; expiresAt: number }>;
  refreshTokens: Map<string, Grant>;
  /** Counters tests read. */
  stats: { authorizations: number; codeExchanges: number; refreshes: number };
}

const CODE_TTL_MS = 10 * 60_000;
const states = new WeakMap<SimPlatform, OAuthState>();

/** The simulated Canvas's OAuth2 state: API developer keys, codes and refresh tokens issued. */
export function canvasOAuth(platform: SimPlatform): OAuthState {
  let state = states.get(platform);
  if (!state) {
    state = { keys: new Map(), pending: new Map(), codes: new Map(), refreshTokens: new Map(), stats: { authorizations: 0, codeExchanges: 0, refreshes: 0 } };
    states.set(platform, state);
  }
  return state;
}

/** Creates an API developer key on the simulated Canvas (what an admin does under Admin → Developer Keys → + API Key). */
export function addApiDeveloperKey(platform: SimPlatform, input: { redirectUri: string; scopes: string[]; name?: string; tokenTtlSeconds?: number }): SimApiDeveloperKey {
  const state = canvasOAuth(platform);
  const key: SimApiDeveloperKey = {
    clientId: `1700000000${String(state.keys.size + 1).padStart(4, '0')}`,
    clientSecret: crypto.randomBytes(32).toString('base64url'),
    name: input.name ?? 'Keepup messaging',
    redirectUri: input.redirectUri,
    scopes: input.scopes,
    tokenTtlSeconds: input.tokenTtlSeconds ?? 3600,
  };
  state.keys.set(key.clientId, key);
  return key;
}

/** Canvas accepts a redirect_uri on the key's redirect host or a subdomain of it. */
function redirectAllowed(key: SimApiDeveloperKey, redirectUri: string): boolean {
  try {
    const allowed = new URL(key.redirectUri).hostname;
    const given = new URL(redirectUri).hostname;
    return given === allowed || given.endsWith(`.${allowed}`);
  } catch {
    return false;
  }
}

function redirectWith(res: Response, redirectUri: string, params: Record<string, string | undefined>): void {
  const url = new URL(redirectUri);
  for (const [k, v] of Object.entries(params)) if (v !== undefined) url.searchParams.set(k, v);
  res.redirect(302, url.toString());
}

/**
 * Canvas OAuth2 emulation for user-level API tokens, after Canvas's "OAuth2 Endpoints" docs:
 * `GET /canvas/login/oauth2/auth` (client_id, response_type=code, redirect_uri, state, scope) shows a sign-in
 * and consent page; accepting redirects to `redirect_uri?code=…&state=…`, cancelling to `?error=access_denied&state=…`.
 * `POST /canvas/login/oauth2/token` exchanges a code (grant_type=authorization_code, single use, 10 minutes) for
 * `{access_token, token_type, user, refresh_token, expires_in}` and a refresh token (grant_type=refresh_token) for a
 * new access token. Errors: unknown client 401 `invalid_client`; redirect_uri off the key's host 400 `invalid_request`;
 * bad code or refresh token 400 `invalid_grant`; a scope outside the key's redirects with `invalid_scope`.
 * Token requests for clients that are not API keys here fall through to the REST emulation's refresh endpoint.
 */
export function canvasOAuthRoutes(sim: Simulator): Router {
  const router = Router();
  const p = sim.platforms.canvas;
  const oauth = () => canvasOAuth(p);

  // What an admin does under Developer Keys → + API Key, as a form post answering JSON (the demo's registration uses it).
  router.post('/canvas/developer_keys/api', express.urlencoded({ extended: false }), (req, res) => {
    const redirectUri = String(req.body?.redirect_uri ?? '');
    const scopes = String(req.body?.scopes ?? '').split(/\s+/).filter(Boolean);
    if (!/^https?:\/\//.test(redirectUri) || !scopes.length) return void res.status(400).json({ error: 'redirect_uri and scopes are required' });
    const key = addApiDeveloperKey(p, { redirectUri, scopes, name: typeof req.body?.name === 'string' ? req.body.name : undefined });
    res.status(201).json({ client_id: key.clientId, client_secret: key.clientSecret, redirect_uri: key.redirectUri, scopes: key.scopes });
  });

  router.get('/canvas/login/oauth2/auth', (req, res) => {
    const q = req.query as Record<string, string | undefined>;
    const key = oauth().keys.get(String(q.client_id ?? ''));
    if (!key) return void res.status(401).json({ error: 'invalid_client', error_description: 'unknown client' });
    const redirectUri = String(q.redirect_uri ?? '');
    if (!redirectAllowed(key, redirectUri)) return void res.status(400).json({ error: 'invalid_request', error_description: 'redirect_uri does not match client settings' });
    if (q.response_type !== 'code') return redirectWith(res, redirectUri, { error: 'unsupported_response_type', state: q.state });
    const scopes = String(q.scope ?? '').split(' ').filter(Boolean);
    if (scopes.some((s) => !key.scopes.includes(s))) {
      return redirectWith(res, redirectUri, { error: 'invalid_scope', error_description: 'A requested scope is invalid, unknown, malformed, or exceeds the scope granted by the resource owner.', state: q.state });
    }
    const id = crypto.randomBytes(16).toString('base64url');
    oauth().pending.set(id, { clientId: key.clientId, redirectUri, state: q.state, scopes });
    const users = p.course.users.filter((u) => u.role === 'instructor' || u.role === 'ta' || u.role === 'admin');
    const options = users.map((u) => `<option value="${esc(u.key)}">${esc(u.name ?? u.username)} (${esc(u.role)})</option>`).join('');
    res.type('html').send(
      page(
        'Authorize access',
        `<h1>${esc(key.name)} is requesting access to your account</h1>
<p>It will be able to: ${scopes.map((s) => `<code>${esc(s)}</code>`).join(', ') || 'use the API as you'}.</p>
<form method="POST" action="${esc(`${p.issuer}/login/oauth2/accept`)}"><input type="hidden" name="request" value="${esc(id)}">
<label>Signed in as <select name="user">${options}</select></label>
<button name="decision" value="accept">Authorize</button> <button name="decision" value="deny">Cancel</button></form>`,
      ),
    );
  });

  router.post('/canvas/login/oauth2/accept', express.urlencoded({ extended: false }), (req, res) => {
    const request = oauth().pending.get(String(req.body?.request ?? ''));
    if (!request) return void res.status(400).type('text/plain').send('This authorization request has expired; start again from the application.');
    oauth().pending.delete(String(req.body.request));
    if (req.body.decision !== 'accept') return redirectWith(res, request.redirectUri, { error: 'access_denied', state: request.state });
    const user = p.user(String(req.body.user ?? ''));
    if (!user) return void res.status(400).type('text/plain').send('Unknown user.');
    const code = crypto.randomBytes(32).toString('hex');
    oauth().codes.set(code, { clientId: request.clientId, userId: user.platformUserId, scopes: request.scopes, redirectUri: request.redirectUri, expiresAt: Date.now() + CODE_TTL_MS });
    oauth().stats.authorizations++;
    redirectWith(res, request.redirectUri, { code, state: request.state });
  });

  router.post('/canvas/login/oauth2/token', express.urlencoded({ extended: false }), express.json(), (req, res, next) => {
    const b = (req.body ?? {}) as Record<string, string | undefined>;
    const key = oauth().keys.get(String(b.client_id ?? ''));
    if (!key) return next();
    if (b.client_secret !== key.clientSecret) return void res.status(401).json({ error: 'invalid_client', error_description: 'invalid client' });
    const userJson = (userId: string) => {
      const user = p.course.users.find((u) => u.platformUserId === userId);
      return { id: Number(userId), name: user?.name ?? user?.username ?? '', global_id: `10000000${userId}`, effective_locale: 'en' };
    };
    if (b.grant_type === 'authorization_code') {
      const code = oauth().codes.get(String(b.code ?? ''));
      oauth().codes.delete(String(b.code ?? ''));
      if (!code || code.expiresAt < Date.now() || code.clientId !== key.clientId) return void res.status(400).json({ error: 'invalid_grant', error_description: 'authorization_code not found' });
      if (b.redirect_uri !== code.redirectUri) return void res.status(400).json({ error: 'invalid_grant', error_description: 'redirect_uri does not match' });
      const issued = p.issueAccessToken(key.clientId, code.scopes, { ttlSeconds: key.tokenTtlSeconds, userId: code.userId });
      const refreshToken = crypto.randomBytes(32).toString('base64url');
      oauth().refreshTokens.set(refreshToken, { clientId: key.clientId, userId: code.userId, scopes: code.scopes });
      oauth().stats.codeExchanges++;
      return void res.json({ access_token: issued.token, token_type: 'Bearer', user: userJson(code.userId), canvas_region: 'us-east-1', refresh_token: refreshToken, expires_in: issued.expiresIn });
    }
    if (b.grant_type === 'refresh_token') {
      const grant = oauth().refreshTokens.get(String(b.refresh_token ?? ''));
      if (!grant || grant.clientId !== key.clientId) return void res.status(400).json({ error: 'invalid_grant', error_description: 'refresh_token not found' });
      const issued = p.issueAccessToken(key.clientId, grant.scopes, { ttlSeconds: key.tokenTtlSeconds, userId: grant.userId });
      oauth().stats.refreshes++;
      return void res.json({ access_token: issued.token, token_type: 'Bearer', user: userJson(grant.userId), canvas_region: 'us-east-1', expires_in: issued.expiresIn });
    }
    res.status(400).json({ error: 'unsupported_grant_type', error_description: 'grant_type must be authorization_code or refresh_token' });
  });

  return router;
}
