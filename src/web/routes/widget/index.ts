import path from 'node:path';
import express, { Router } from 'express';
import { repoRoot } from '../../../../scripts/services/paths';
import rateLimit from 'express-rate-limit';
import { logExposure } from '../../../experiments/exposureLogger';
import { NudgeCacheStore } from '../../../nudges/NudgeCacheStore';
import { setLearnerOptOut } from '../../../nudges/optOut';
import { AuthorizationError } from '../../../errors';
import type { AppDeps } from '../../app';
import { requireSession } from '../../auth/requireSession';
import { exposureBodySchema, nudgeQuerySchema, optOutBodySchema } from './schema';
import { presentNudge } from './presentNudge';

/** The learner a session is for; learner tokens without a learner id (never issued) are refused. */
function sessionLearner(req: express.Request): { courseId: string; learnerId: string } {
  const s = req.session!;
  if (!s.learnerId) throw AuthorizationError('This session has no learner.');
  return { courseId: s.courseId, learnerId: s.learnerId };
}

/**
 * The learner widget API. Every route takes the course and learner from the session token only (no ids in
 * the URL), so a learner can reach nothing but their own content:
 * `GET /api/widget/nudge?placement=widget|video` (one Redis GET, or one indexed read behind it),
 * `POST /api/widget/exposures` (the widget was shown; deduplicated per learner per day),
 * `POST /api/widget/opt-out` (turns nudges and messages off or back on).
 */
export function widgetRoutes(deps: AppDeps): Router {
  const router = Router();
  router.use('/widget/static', express.static(path.join(repoRoot(), 'views/widget/static'), { maxAge: '1h' }));
  const store = new NudgeCacheStore(deps.redis, deps.redisPrefix ?? 'keepup');
  const learnerOnly = requireSession({ roles: ['learner'] });
  const limiter = rateLimit({ windowMs: 60_000, limit: 300, standardHeaders: 'draft-7', legacyHeaders: false, keyGenerator: (req) => `${req.session?.courseId}:${req.session?.learnerId}` });
  const json = express.json({ limit: '1kb' });

  router.get('/api/widget/nudge', learnerOnly, limiter, async (req, res, next) => {
    try {
      const { placement } = nudgeQuerySchema.parse(req.query);
      const { courseId, learnerId } = sessionLearner(req);
      res.setHeader('cache-control', 'private, no-store');
      res.json(presentNudge(await store.get(courseId, learnerId), placement));
    } catch (error) {
      next(error);
    }
  });

  router.post('/api/widget/exposures', learnerOnly, limiter, json, async (req, res, next) => {
    try {
      const { placement } = exposureBodySchema.parse(req.body);
      const { courseId, learnerId } = sessionLearner(req);
      const content = await store.get(courseId, learnerId);
      const result = content ? await logExposure({ courseId, learnerId, content, placement }) : { logged: false, firstToday: false };
      res.json(result);
    } catch (error) {
      next(error);
    }
  });

  router.post('/api/widget/opt-out', learnerOnly, limiter, json, async (req, res, next) => {
    try {
      const { optOut } = optOutBodySchema.parse(req.body);
      const { courseId, learnerId } = sessionLearner(req);
      const placement = nudgeQuerySchema.parse(req.query).placement;
      const content = await setLearnerOptOut({ courseId, learnerId, optOut, redis: deps.redis, prefix: deps.redisPrefix ?? 'keepup' });
      res.json(presentNudge(content, placement));
    } catch (error) {
      next(error);
    }
  });
  return router;
}
