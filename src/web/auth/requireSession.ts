import type { RequestHandler } from 'express';
import { SessionTokenError, verifySession, type KeepupSession } from '../../../lti/sessionToken';
import type { KeepupRole } from '../../../lti/roles';
import { AuthenticationError, AuthorizationError, KeepupError } from '../../errors';

declare module 'express-serve-static-core' {
  interface Request {
    /** The verified Keepup session (set by requireSession). */
    session?: KeepupSession;
  }
}

export interface RequireSessionOptions {
  /** Roles allowed through; default: any role. */
  roles?: KeepupRole[];
  /** HS256 secret; default KEEPUP_SESSION_SECRET from the environment. */
  secret?: string;
}

/**
 * Authenticates API calls from Keepup's launched pages: `Authorization: Bearer <session token>` (never a
 * cookie or query parameter), verified with HS256, then the role check. Sets `req.session`.
 * 401 `session_expired` tells the page to ask the user to relaunch from the course.
 */
export function requireSession(options: RequireSessionOptions = {}): RequestHandler {
  return (req, _res, next) => {
    const secret = options.secret ?? process.env.KEEPUP_SESSION_SECRET;
    if (!secret) return next(new KeepupError('Sessions are not configured (KEEPUP_SESSION_SECRET).', 503, 'unavailable'));
    const header = req.headers.authorization ?? '';
    const match = /^Bearer ([\w-]+\.[\w-]+\.[\w-]+)$/.exec(header);
    if (!match) return next(AuthenticationError('Send the Keepup session token as Authorization: Bearer <token>.'));
    try {
      req.session = verifySession(match[1], secret);
    } catch (error) {
      if (error instanceof SessionTokenError && error.reason === 'expired') return next(new KeepupError(error.message, 401, 'session_expired'));
      return next(AuthenticationError('The session token is not valid.'));
    }
    if (options.roles && !options.roles.includes(req.session.role)) return next(AuthorizationError(`This needs the ${options.roles.join(' or ')} role.`));
    next();
  };
}
