import { Router } from 'express';
import type { AppDeps } from '../app';
import { demoSections } from '../demoSections';

/**
 * `GET /demo`: the demo's front door, listing every capability with links. Mounted only
 * when KEEPUP_DEMO=1 (set by `npm run demo`), never in production.
 */
export function demoRoutes(deps: AppDeps): Router {
  const router = Router();
  if (process.env.KEEPUP_DEMO !== '1') return router;
  router.get('/demo', async (req, res, next) => {
    try {
      const baseUrl = `${req.protocol}://${req.get('host')}`;
      const sections = await Promise.all(demoSections.map((section) => section({ deps, baseUrl })));
      res.render('demo', { title: 'Demo', sections: sections.filter(Boolean) });
    } catch (error) {
      next(error);
    }
  });
  return router;
}
