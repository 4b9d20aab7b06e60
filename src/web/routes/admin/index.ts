import express, { ErrorRequestHandler, Router } from 'express';
import cookieParser from 'cookie-parser';
import { ZodError } from 'zod';
import { KeepupError } from '../../../errors';
import { log } from '../../../log';
import type { AppDeps } from '../../app';
import { adminSession } from '../../auth/adminSession';
import { ltiServicesFor } from '../lti/ltiServicesFor';
import { adminAuthRoutes } from './auth';
import type { AdminStore } from './AdminStore';
import { adminCanvasMessagingRoutes } from './canvasMessaging';
import { adminConnectionRoutes } from './connections';
import { adminPlatformRoutes } from './platforms';

/** The admin area under /admin: never framed, never cached, cookie session with CSRF, HTML error pages. */
export function adminRoutes(deps: AppDeps): Router {
  const router = Router();
  if (!deps.redis) return router;
  const store: AdminStore = {
    redis: deps.redis,
    prefix: deps.redisPrefix ?? 'keepup',
    // Edited registrations must not keep a stale cached keyset; only when LTI is running in this app.
    forgetKeysets: () => {
      if (deps.config.KEEPUP_SESSION_SECRET) ltiServicesFor(deps).keysets.clear();
    },
  };
  router.use('/admin', (_req, res, next) => {
    res.setHeader('x-frame-options', 'DENY');
    res.setHeader('content-security-policy', "frame-ancestors 'none'");
    res.setHeader('cache-control', 'no-store');
    next();
  });
  router.use('/admin', cookieParser(), express.urlencoded({ extended: false, limit: '32kb' }), adminSession(store.redis, store.prefix));
  router.use(adminAuthRoutes(store));
  router.use(adminPlatformRoutes(deps, store));
  router.use(adminConnectionRoutes(deps));
  router.use(adminCanvasMessagingRoutes(deps));
  const errors: ErrorRequestHandler = (error, req, res, next) => {
    if (!req.path.startsWith('/admin')) return next(error);
    let status = 500;
    let message = 'Something went wrong on our side.';
    if (error instanceof KeepupError) ({ status, message } = error);
    else if (error instanceof ZodError) [status, message] = [400, 'The request was malformed.'];
    else log.error({ reqId: req.id, err: (error as Error)?.stack }, 'admin request failed');
    res.status(status).render('admin/message', { title: 'Admin', message, requestId: req.id });
  };
  router.use(errors);
  return router;
}
