import { Router } from 'express';
import rateLimit from 'express-rate-limit';
import type { AppDeps } from '../../app';
import { requireSession } from '../../auth/requireSession';
import { dashboardCampaignRoutes } from './campaignRoutes';
import { dashboardClusterRoutes } from './clusterRoutes';
import { dashboardDataRoutes } from './dataRoutes';
import { demoInboxRoutes } from './demoInbox';

/**
 * The instructor dashboard API under `/api/dashboard`: every route needs an instructor session of the
 * course in its path (learners get 403, other courses 403), then validates, loads and answers through presenters.
 */
export function dashboardRoutes(deps: AppDeps): Router {
  const router = Router();
  const limiter = rateLimit({ windowMs: 60_000, limit: 600, standardHeaders: 'draft-7', legacyHeaders: false });
  router.use('/api/dashboard', limiter);
  const auth = requireSession({ roles: ['instructor'] });
  router.use(dashboardDataRoutes(deps, auth));
  router.use(dashboardCampaignRoutes(auth));
  router.use(dashboardClusterRoutes(auth));
  router.use(demoInboxRoutes());
  return router;
}
