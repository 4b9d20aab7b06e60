import { Router } from 'express';
import type { AppDeps } from '../app';

/** `GET /healthz`: the process is up. `GET /readyz`: MongoDB and Redis answer (503 otherwise). */
export function healthRoutes(deps: AppDeps): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    const [mongo, redis] = await Promise.all([deps.checks.mongo(), deps.checks.redis()]);
    res.status(mongo && redis ? 200 : 503).json({ status: mongo && redis ? 'ready' : 'unavailable', mongo, redis });
  });
  return router;
}
