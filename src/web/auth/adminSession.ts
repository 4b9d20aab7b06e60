import crypto from 'node:crypto';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import { AuthorizationError } from '../../errors';
import { sha256 } from './passwords';

/** Admin session cookie: HttpOnly, Secure, SameSite=Lax, scoped to /admin. */
export const ADMIN_COOKIE = 'keepup_admin';
const TTL_SECONDS = 8 * 3600;

const sessionSchema = z.object({ csrf: z.string(), adminId: z.string().optional(), email: z.string().optional() });
export type AdminSessionData = z.infer<typeof sessionSchema>;

declare module 'express-serve-static-core' {
  interface Request {
    /** The admin area's cookie session (set by adminSession). */
    adminSession?: AdminSessionData & { id: string };
  }
}

/**
 * Cookie sessions for the admin area, stored in Redis (hashed id, 8 hours). Every visitor gets a session with
 * a CSRF token before logging in, so the login form itself is protected; logging in rotates the session id.
 */
export function adminSession(redis: Redis, prefix: string): RequestHandler {
  return async (req, res, next) => {
    try {
      const id = req.cookies?.[ADMIN_COOKIE];
      if (typeof id === 'string' && /^[\w-]{32,64}$/.test(id)) {
        const raw = await redis.get(key(prefix, id));
        const parsed = raw ? sessionSchema.safeParse(JSON.parse(raw)) : undefined;
        if (parsed?.success) {
          req.adminSession = { id, ...parsed.data };
          return next();
        }
      }
      await startAdminSession(redis, prefix, res, req, {});
      next();
    } catch (error) {
      next(error);
    }
  };
}

/** Starts a fresh session (new id and CSRF token), e.g. at login, replacing the current one. */
export async function startAdminSession(redis: Redis, prefix: string, res: Response, req: Request, data: Omit<AdminSessionData, 'csrf'>): Promise<void> {
  if (req.adminSession) await redis.del(key(prefix, req.adminSession.id));
  const id = crypto.randomBytes(32).toString('base64url');
  const session: AdminSessionData = { csrf: crypto.randomBytes(24).toString('base64url'), ...data };
  await redis.set(key(prefix, id), JSON.stringify(session), 'EX', TTL_SECONDS);
  res.cookie(ADMIN_COOKIE, id, { httpOnly: true, secure: true, sameSite: 'lax', path: '/admin', maxAge: TTL_SECONDS * 1000 });
  req.adminSession = { id, ...session };
}

/** Ends the session. */
export async function endAdminSession(redis: Redis, prefix: string, req: Request, res: Response): Promise<void> {
  if (req.adminSession) await redis.del(key(prefix, req.adminSession.id));
  res.clearCookie(ADMIN_COOKIE, { path: '/admin' });
}

/** Rejects state-changing requests whose `_csrf` field does not match the session's token (403). */
export function verifyCsrf(req: Request, _res: Response, next: NextFunction): void {
  const sent = typeof req.body?._csrf === 'string' ? req.body._csrf : '';
  const expected = req.adminSession?.csrf ?? '';
  const ok = sent.length === expected.length && expected.length > 0 && crypto.timingSafeEqual(Buffer.from(sent), Buffer.from(expected));
  next(ok ? undefined : AuthorizationError('The form expired or did not come from this admin area. Reload the page and try again.'));
}

/** Sends visitors who are not logged in to the login page. */
export function requireAdmin(req: Request, res: Response, next: NextFunction): void {
  if (req.adminSession?.adminId) return next();
  res.redirect(303, '/admin/login');
}

function key(prefix: string, id: string): string {
  return `${prefix}:admin:sess:${sha256(id)}`;
}
