import crypto from 'node:crypto';
import { Types } from 'mongoose';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import { KeepupError, ValidationError } from '../../errors';
import { audit } from '../audit';
import { canvasApiKeyFor } from './canvasApiKeys';
import { CANVAS_CONVERSATIONS_SCOPE, CanvasTokenError, exchangeCanvasCode } from './canvasTokenEndpoint';
import { storeSenderToken } from './canvasSenderTokens';

/** How long a started connection may take (flow handle and state), seconds: Canvas codes live 10 minutes too. */
export const CONNECT_TTL_SECONDS = 600;

const flowSchema = z.object({ courseId: z.string(), userSub: z.string(), tenant: z.string(), canvasCourseId: z.string().regex(/^\d+$/) });
/** Who is connecting which course: fixed by the instructor's session when the flow begins. */
export type ConnectFlow = z.infer<typeof flowSchema>;

/** The Canvas OAuth2 callback was refused: state mismatch, expired, denied, or the code exchange failed. */
export class CanvasConnectError extends KeepupError {
  constructor(message: string, status = 400) {
    super(message, status, 'canvas_connect_failed');
  }
}

const flowKey = (prefix: string, id: string) => `${prefix}:canvas-oauth:flow:${id}`;
const stateKey = (prefix: string, state: string) => `${prefix}:canvas-oauth:state:${state}`;
const random = () => crypto.randomBytes(32).toString('base64url');

/**
 * Step 1 (authenticated dashboard call): records who connects which course under a one-time handle the
 * dashboard opens in a new top-level window (Canvas's login page cannot be framed). No token or personal
 * data goes into the URL. Refuses when the tenant has no API developer key.
 */
export async function beginCanvasConnect(redis: Redis, prefix: string, flow: ConnectFlow): Promise<string> {
  if (!(await canvasApiKeyFor(flow.tenant))) throw ValidationError('Canvas messaging is not set up for this Canvas: an administrator must add a Canvas API developer key first.');
  const id = random();
  await redis.set(flowKey(prefix, id), JSON.stringify(flowSchema.parse(flow)), 'EX', CONNECT_TTL_SECONDS);
  return id;
}

/**
 * Step 2 (top-level window): consumes the handle, creates the OAuth `state` and returns the Canvas
 * authorization URL. The caller sets `state` in an HttpOnly SameSite=Lax cookie, binding the state to
 * this browser: a callback carrying a state this browser did not start is refused.
 */
export async function startCanvasConnect(redis: Redis, prefix: string, handle: string, redirectUri: string): Promise<{ state: string; authorizeUrl: string }> {
  const raw = handle ? await redis.getdel(flowKey(prefix, handle)) : null;
  if (!raw) throw new CanvasConnectError('This link to connect Canvas has expired or was already used. Start again from the dashboard.');
  const flow = flowSchema.parse(JSON.parse(raw));
  const key = await canvasApiKeyFor(flow.tenant);
  if (!key) throw new CanvasConnectError('Canvas messaging is not set up for this Canvas.');
  const state = random();
  await redis.set(stateKey(prefix, state), raw, 'EX', CONNECT_TTL_SECONDS);
  const url = new URL(`${key.apiBase}/login/oauth2/auth`);
  url.searchParams.set('client_id', key.clientId);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('redirect_uri', redirectUri);
  url.searchParams.set('state', state);
  url.searchParams.set('scope', CANVAS_CONVERSATIONS_SCOPE);
  return { state, authorizeUrl: url.toString() };
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && crypto.timingSafeEqual(x, y);
}

/**
 * Step 3 (Canvas redirects back): checks the state against this browser's cookie and consumes it (one use),
 * then exchanges the code and stores the sealed tokens for the instructor and course. Returns the flow.
 */
export async function finishCanvasConnect(
  redis: Redis,
  prefix: string,
  input: { state?: string; cookieState?: string; code?: string; error?: string; redirectUri: string },
): Promise<ConnectFlow> {
  if (!input.state || !input.cookieState || !sameSecret(input.state, input.cookieState)) {
    throw new CanvasConnectError('The answer from Canvas does not belong to a connection started in this browser (state mismatch). Start again from the dashboard.');
  }
  const raw = await redis.getdel(stateKey(prefix, input.state));
  if (!raw) throw new CanvasConnectError('This Canvas connection has expired or was already completed. Start again from the dashboard.');
  const flow = flowSchema.parse(JSON.parse(raw));
  if (input.error) throw new CanvasConnectError(`Canvas did not grant access (${input.error.slice(0, 60)}). Messages can still go by email.`);
  if (!input.code) throw new CanvasConnectError('Canvas answered without an authorization code.');
  const key = await canvasApiKeyFor(flow.tenant);
  if (!key) throw new CanvasConnectError('Canvas messaging is not set up for this Canvas.');
  try {
    const grant = await exchangeCanvasCode(key, input.code, input.redirectUri);
    const courseId = new Types.ObjectId(flow.courseId);
    await storeSenderToken({ courseId, userSub: flow.userSub, apiBase: key.apiBase, canvasCourseId: flow.canvasCourseId, grant });
    await audit({ courseId, actor: `instructor:${flow.userSub}`, action: 'canvas.connected', detail: `${new URL(key.apiBase).host} (OAuth2)` });
  } catch (error) {
    if (error instanceof CanvasTokenError) throw new CanvasConnectError(`Canvas refused the authorization code: ${error.message}`, 502);
    throw error;
  }
  return flow;
}
