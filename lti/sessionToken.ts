import crypto, { KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { z } from 'zod';
import type { KeepupRole } from './roles';

/** Lifetime of a session token. Short on purpose: when it ends, the user relaunches from the course. */
export const SESSION_TTL_SECONDS = 15 * 60;
const ISSUER = 'keepup';
const AUDIENCE = 'keepup-web';

/** What a session token grants: one user, in one course, through one deployment of one platform, with one role. */
export interface KeepupSession {
  platformId: string;
  /** The LTI deployment id the launch came through. */
  deploymentId: string;
  /** Our Course _id. */
  courseId: string;
  /** The LTI context id. */
  contextId: string;
  /** The LTI `sub` of the user. */
  userSub: string;
  /** Our Learner _id (learners only). */
  learnerId?: string;
  role: KeepupRole;
  /** Whether the platform shared the user's name / email in this launch (controls what dashboards may show). */
  sharesName: boolean;
  sharesEmail: boolean;
}

const claimsSchema = z.object({
  pid: z.string(),
  did: z.string(),
  cid: z.string(),
  ctx: z.string(),
  sub: z.string(),
  lid: z.string().optional(),
  role: z.enum(['instructor', 'learner']),
  nm: z.boolean(),
  em: z.boolean(),
});

/** Signs a session token (HS256, KEEPUP_SESSION_SECRET, 15 minutes). */
export function signSession(session: KeepupSession, secret: string, ttlSeconds = SESSION_TTL_SECONDS): string {
  const claims: z.infer<typeof claimsSchema> = {
    pid: session.platformId,
    did: session.deploymentId,
    cid: session.courseId,
    ctx: session.contextId,
    sub: session.userSub,
    role: session.role,
    nm: session.sharesName,
    em: session.sharesEmail,
    ...(session.learnerId ? { lid: session.learnerId } : {}),
  };
  return jwt.sign(claims, secretKey(secret), { algorithm: 'HS256', expiresIn: ttlSeconds, issuer: ISSUER, audience: AUDIENCE });
}

/** Why a session token was refused. */
export class SessionTokenError extends Error {
  constructor(readonly reason: 'expired' | 'invalid', message: string) {
    super(message);
    this.name = 'SessionTokenError';
  }
}

const secretKeys = new Map<string, KeyObject>();

/**
 * The secret as a cached KeyObject: jsonwebtoken turns a string secret into a key on every call
 * (about 0.35 ms, most of a widget request's CPU); a KeyObject skips that.
 */
function secretKey(secret: string): KeyObject {
  let key = secretKeys.get(secret);
  if (!key) {
    key = crypto.createSecretKey(Buffer.from(secret, 'utf8'));
    secretKeys.set(secret, key);
  }
  return key;
}

/** Verifies a session token (HS256 only) and returns the session; throws SessionTokenError. */
export function verifySession(token: string, secret: string): KeepupSession {
  let payload: unknown;
  try {
    payload = jwt.verify(token, secretKey(secret), { algorithms: ['HS256'], issuer: ISSUER, audience: AUDIENCE });
  } catch (error) {
    if ((error as Error).name === 'TokenExpiredError') throw new SessionTokenError('expired', 'Your Keepup session has expired. Open Keepup again from your course.');
    throw new SessionTokenError('invalid', 'The session token is not valid.');
  }
  const parsed = claimsSchema.safeParse(payload);
  if (!parsed.success) throw new SessionTokenError('invalid', 'The session token is not valid.');
  const c = parsed.data;
  return { platformId: c.pid, deploymentId: c.did, courseId: c.cid, contextId: c.ctx, userSub: c.sub, learnerId: c.lid, role: c.role, sharesName: c.nm, sharesEmail: c.em };
}
