import { Router } from 'express';
import type { Simulator } from '../Simulator';
import { canvasRestApi, type CanvasApiOptions } from './canvasRestApi';
import { openedxRestApi, type OpenEdxApiOptions } from '../openedxApi/openedxRestApi';

const mounted = new WeakMap<Simulator, { canvas?: Router; openedx?: Router }>();

/**
 * Gives a running simulator course data for its Canvas REST (`/canvas/api/v1/...`, `/canvas/login/oauth2/token`)
 * and Open edX REST (`/openedx/oauth2/access_token`, `/openedx/api/...`) emulations. Until data is set
 * those paths answer 404 like any unknown route.
 */
export function setPlatformRestData(sim: Simulator, data: { canvas?: CanvasApiOptions; openedx?: OpenEdxApiOptions }): void {
  mounted.set(sim, { canvas: data.canvas && canvasRestApi(data.canvas), openedx: data.openedx && openedxRestApi(data.openedx) });
}

/** The simulator's platform REST emulations (mounted by `src/simulator/routers.ts`). */
export function platformRestRoutes(sim: Simulator): Router {
  const router = Router();
  router.use('/canvas', (req, res, next) => {
    const api = mounted.get(sim)?.canvas;
    if (api) api(req, res, next);
    else next();
  });
  router.use('/openedx', (req, res, next) => {
    const api = mounted.get(sim)?.openedx;
    if (api) api(req, res, next);
    else next();
  });
  return router;
}
