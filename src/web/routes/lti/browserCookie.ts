import crypto from 'node:crypto';
import type { Request, Response } from 'express';

/**
 * Cookie that ties a launch to the browser that started the login. SameSite=None because it must flow inside the
 * LMS iframe; Partitioned (CHIPS) so browsers that block third-party cookies still keep it within the LMS's site.
 */
export const BROWSER_COOKIE = 'keepup_lti_bid';

/** The browser id from the cookie, or a new random one (set on the response). */
export function browserId(req: Request, res: Response): string {
  const existing = req.cookies?.[BROWSER_COOKIE];
  const id = typeof existing === 'string' && /^[\w-]{32,64}$/.test(existing) ? existing : crypto.randomBytes(32).toString('base64url');
  res.cookie(BROWSER_COOKIE, id, { httpOnly: true, secure: true, sameSite: 'none', partitioned: true, path: '/lti', maxAge: 3600_000 });
  return id;
}
