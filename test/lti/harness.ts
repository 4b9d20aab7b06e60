import http from 'node:http';
import jwt from 'jsonwebtoken';
import { loadConfig } from '../../src/config';
import { createApp } from '../../src/web/app';
import { startSimulator, RunningSimulator } from '../../src/simulator/createSimulator';
import type { Flavour } from '../../src/simulator/directory';
import type { SimPlatform, SimTool } from '../../src/simulator/SimPlatform';
import { registerSimulatorPlatforms, SimulatorRegistration } from '../../lti/demo/registerSimulatorPlatforms';
import { useTestDb, useTestRedis } from '../support';

/** Keepup (on `localhost`) and the LMS simulator (on `127.0.0.1`), both really listening, registered with each other. */
export interface Harness {
  keepupUrl: string;
  simulator: RunningSimulator;
  registrations: SimulatorRegistration[];
  prefix: string;
  platform(flavour: Flavour): SimPlatform;
  tool(flavour: Flavour): SimTool;
}

/** Starts Keepup and the simulator for a test file, registering every flavour as an admin would. */
export function useLtiHarness(): Harness {
  useTestDb();
  const redis = useTestRedis();
  const h = { prefix: redis.prefix } as Harness;
  let server: http.Server;
  beforeAll(async () => {
    h.simulator = await startSimulator();
    server = http.createServer();
    await new Promise<void>((resolve) => server.listen(0, resolve));
    h.keepupUrl = `http://localhost:${(server.address() as { port: number }).port}`;
    const config = loadConfig({ ...process.env, PUBLIC_URL: h.keepupUrl, NODE_ENV: 'test' });
    server.on('request', createApp({ config, redis: redis.redis(), redisPrefix: redis.prefix, checks: { mongo: async () => true, redis: async () => true } }));
    h.registrations = await registerSimulatorPlatforms(h.simulator.url, h.keepupUrl, { redis: redis.redis(), redisPrefix: redis.prefix });
    h.platform = (f) => h.simulator.sim.platforms[f];
    h.tool = (f) => {
      const reg = h.registrations.find((r) => r.flavour === f)!;
      return h.simulator.sim.platforms[f].tools.get(reg.clientId)!;
    };
  });
  afterAll(async () => {
    server?.closeAllConnections();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    await h.simulator?.close();
  });
  return h;
}

/** A started login: what Keepup sent the browser to the platform with. */
export interface StartedLogin {
  state: string;
  nonce: string;
  authUrl: string;
  cookie: string;
  status: number;
  html: string;
}

/** The browser-binding cookie from a Set-Cookie header list. */
function browserCookie(res: Response): string {
  const cookies = res.headers.getSetCookie();
  const found = cookies.find((c) => c.startsWith('keepup_lti_bid='));
  return found ? found.split(';')[0] : '';
}

/** Starts an OIDC login at Keepup as the platform would (GET /lti/login) and returns the auth request parameters. */
export async function beginLogin(h: Harness, flavour: Flavour, options: { user?: string; deepLink?: boolean; storageTarget?: string; cookie?: string } = {}): Promise<StartedLogin> {
  const p = h.platform(flavour);
  const tool = h.tool(flavour);
  const user = options.user ?? 'learner';
  const url = p.loginInitiationUrl(tool, { user, clientId: tool.clientId, ...(options.deepLink ? { deepLink: true } : { link: p.course.resourceLinks[user === 'learner' ? 1 : 0].id }) }, options.storageTarget);
  const res = await fetch(url, { redirect: 'manual', headers: options.cookie ? { cookie: options.cookie } : {} });
  const html = res.status === 200 ? await res.text() : '';
  let authUrl = res.headers.get('location') ?? '';
  if (!authUrl && html) authUrl = decodeEntities(/data-auth-url="([^"]+)"/.exec(html)?.[1] ?? '');
  const params = authUrl ? new URL(authUrl).searchParams : new URLSearchParams();
  return { state: params.get('state') ?? '', nonce: params.get('nonce') ?? '', authUrl, cookie: browserCookie(res) || options.cookie || '', status: res.status, html };
}

/** Follows the auth request to the simulator and returns the id_token and state it form-POSTs back. */
export async function authorize(authUrl: string): Promise<{ idToken: string; state: string }> {
  const res = await fetch(authUrl);
  const html = await res.text();
  const field = (name: string) => decodeEntities(new RegExp(`name="${name}" value="([^"]*)"`).exec(html)?.[1] ?? '');
  if (!field('id_token')) throw new Error(`The simulator refused the authorization request: ${html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').slice(0, 300)}`);
  return { idToken: field('id_token'), state: field('state') };
}

/** POSTs a launch to Keepup; returns status, html and the error shown (code and message), if any. */
export async function postLaunch(h: Harness, form: { idToken: string; state: string }, cookie?: string): Promise<{ status: number; html: string; errorCode?: string; errorMessage?: string }> {
  const res = await fetch(`${h.keepupUrl}/lti/launch`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...(cookie ? { cookie } : {}) },
    body: new URLSearchParams({ id_token: form.idToken, state: form.state }),
  });
  const html = await res.text();
  const m = /<p class="lti-error-message" data-code="([^"]+)">([^<]*)<\/p>/.exec(html);
  return { status: res.status, html, errorCode: m?.[1], errorMessage: m ? decodeEntities(m[2]) : undefined };
}

/** A full launch through the real login, simulator authorization and launch. */
export async function fullLaunch(h: Harness, flavour: Flavour, user: string, options: { deepLink?: boolean } = {}) {
  const login = await beginLogin(h, flavour, { user, deepLink: options.deepLink });
  const form = await authorize(login.authUrl);
  return { login, ...(await postLaunch(h, form, login.cookie)) };
}

/** Signs claims as the platform would, optionally with another algorithm, kid or key (for negative tests). */
export function signAsPlatform(p: SimPlatform, claims: Record<string, unknown>, options: { alg?: jwt.Algorithm | 'none'; kid?: string | null; secret?: string } = {}): string {
  const alg = options.alg ?? 'RS256';
  if (alg === 'none') {
    const enc = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
    return `${enc({ alg: 'none', typ: 'JWT', kid: p.keys.currentKid })}.${enc(claims)}.`;
  }
  const header: jwt.JwtHeader = { alg, typ: 'JWT' };
  if (options.kid !== null) header.kid = options.kid ?? p.keys.currentKid;
  const key = alg.startsWith('HS') ? options.secret ?? 'shared-secret-shared-secret-shared-secret' : p.keys.privateKey;
  return jwt.sign(claims, key, { algorithm: alg, header });
}

/** Session token and verification mode embedded in a launched page. */
export function sessionFromPage(html: string): { token: string; verify: string; role: string } {
  const attr = (name: string) => decodeEntities(new RegExp(`data-${name}="([^"]*)"`).exec(html)?.[1] ?? '');
  return { token: attr('token'), verify: attr('verify'), role: attr('role') };
}

/** Decodes the HTML entities handlebars and our pages produce. */
export function decodeEntities(text: string): string {
  return text.replace(/&quot;/g, '"').replace(/&#x27;|&#39;/g, "'").replace(/&#x3D;/g, '=').replace(/&#x60;/g, '`').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}
