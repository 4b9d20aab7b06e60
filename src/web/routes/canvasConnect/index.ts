import cookieParser from 'cookie-parser';
import { Router, type Request, type Response } from 'express';
import rateLimit from 'express-rate-limit';
import { publicBase } from '../../../../lti/toolUrls';
import { beginCanvasConnect, CanvasConnectError, CONNECT_TTL_SECONDS, finishCanvasConnect, startCanvasConnect } from '../../../messaging/canvasAuth/canvasConnectFlow';
import { canvasApiKeyFor } from '../../../messaging/canvasAuth/canvasApiKeys';
import { UnavailableError, ValidationError } from '../../../errors';
import { CanvasSenderToken } from '../../../storage/models/CanvasSenderToken';
import type { AppDeps } from '../../app';
import { requireSession } from '../../auth/requireSession';
import { courseIdOf, loadCourse } from '../dashboard/courseAccess';

/** Cookie binding an OAuth `state` to the browser that started the connection. */
export const STATE_COOKIE = 'keepup_canvas_oauth';
const COOKIE_PATH = '/canvas/oauth';

/**
 * "Connect Canvas messaging": the instructor's Canvas OAuth2 grant for Inbox sends.
 * `POST /api/dashboard/courses/:courseId/canvas/connect` (instructor session) answers the URL the dashboard
 * opens in a new window; `GET /canvas/oauth/start` sets the state cookie and redirects to Canvas's
 * `/login/oauth2/auth`; `GET /canvas/oauth/callback` checks the state against the cookie, exchanges the code
 * and stores the sealed tokens. `GET /api/dashboard/courses/:courseId/canvas/status` says whether it is connected.
 */
export function canvasConnectRoutes(deps: AppDeps): Router {
  const router = Router();
  const auth = requireSession({ roles: ['instructor'] });
  const prefix = deps.redisPrefix ?? 'keepup';
  const base = (req: Request) => publicBase(deps.config.PUBLIC_URL, req).replace(/\/+$/, '');
  const redirectUri = (req: Request) => `${base(req)}${COOKIE_PATH}/callback`;
  const redis = () => {
    if (!deps.redis) throw UnavailableError('Connecting Canvas needs Redis.');
    return deps.redis;
  };
  const limiter = rateLimit({ windowMs: 60_000, limit: 60, standardHeaders: 'draft-7', legacyHeaders: false });

  router.post('/api/dashboard/courses/:courseId/canvas/connect', auth, async (req, res) => {
    const courseId = courseIdOf(req);
    const course = await loadCourse(courseId);
    if (course.platform !== 'canvas' || !/^\d+$/.test(course.externalId)) throw ValidationError('Canvas Inbox messages need a Canvas course.');
    const handle = await beginCanvasConnect(redis(), prefix, { courseId: String(courseId), userSub: req.session!.userSub, tenant: course.tenant, canvasCourseId: course.externalId });
    res.json({ url: `${base(req)}${COOKIE_PATH}/start?handle=${encodeURIComponent(handle)}`, expiresIn: CONNECT_TTL_SECONDS });
  });

  router.get('/api/dashboard/courses/:courseId/canvas/status', auth, async (req, res) => {
    const courseId = courseIdOf(req);
    const course = await loadCourse(courseId);
    const [tokens, key] = await Promise.all([
      CanvasSenderToken.find({ courseId }).select({ userSub: 1, expiresAt: 1, sealedRefreshToken: 1, updatedAt: 1 }).lean(),
      course.platform === 'canvas' ? canvasApiKeyFor(course.tenant) : Promise.resolve(undefined),
    ]);
    const mine = tokens.find((t) => t.userSub === req.session!.userSub);
    res.json({
      available: Boolean(key),
      connected: tokens.length > 0,
      connectedByYou: Boolean(mine),
      renewable: Boolean(mine?.sealedRefreshToken),
    });
  });

  const failed = (res: Response, error: CanvasConnectError) =>
    res.status(error.status).render('canvasConnect/result', { title: 'Canvas not connected', heading: 'Canvas messaging is not connected', status: 'failed', message: error.message });

  router.get(`${COOKIE_PATH}/start`, limiter, async (req, res) => {
    res.setHeader('cache-control', 'no-store');
    let started: { state: string; authorizeUrl: string };
    try {
      started = await startCanvasConnect(redis(), prefix, String(req.query.handle ?? ''), redirectUri(req));
    } catch (error) {
      if (error instanceof CanvasConnectError) return failed(res, error);
      throw error;
    }
    const { state, authorizeUrl } = started;
    res.cookie(STATE_COOKIE, state, { httpOnly: true, sameSite: 'lax', secure: base(req).startsWith('https:'), path: COOKIE_PATH, maxAge: CONNECT_TTL_SECONDS * 1000 });
    res.redirect(302, authorizeUrl);
  });

  router.get(`${COOKIE_PATH}/callback`, limiter, cookieParser(), async (req, res: Response) => {
    const q = req.query as Record<string, unknown>;
    const text = (v: unknown) => (typeof v === 'string' ? v : undefined);
    res.clearCookie(STATE_COOKIE, { path: COOKIE_PATH });
    res.setHeader('cache-control', 'no-store');
    try {
      await finishCanvasConnect(redis(), prefix, { state: text(q.state), cookieState: text(req.cookies?.[STATE_COOKIE]), code: text(q.code), error: text(q.error), redirectUri: redirectUri(req) });
      res.render('canvasConnect/result', { title: 'Canvas connected', heading: 'Canvas messaging is connected', status: 'connected', message: 'Campaigns you send by Canvas Inbox now come from your Canvas account. Keepup renews the access on its own.' });
    } catch (error) {
      if (!(error instanceof CanvasConnectError)) throw error;
      failed(res, error);
    }
  });

  return router;
}
