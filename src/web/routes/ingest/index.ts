import { Router } from 'express';
import type { AppDeps } from '../../app';
import { caliperRoutes } from './caliper';
import { canvasLiveEventRoutes } from './canvasLiveEvents';
import { importRunRoutes } from './imports';
import { xapiRoutes } from './xapi';

/** Activity push endpoints (xAPI LRS, Caliper, Canvas Live Events) and the admin list of import runs. */
export function ingestRoutes(deps: AppDeps): Router {
  const router = Router();
  router.use(xapiRoutes(deps), caliperRoutes(deps), canvasLiveEventRoutes(deps), importRunRoutes(deps));
  return router;
}
