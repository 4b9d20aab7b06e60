import path from 'node:path';
import express, { Router } from 'express';
import { repoRoot } from '../../../../scripts/services/paths';
import { setLearnerOptOut } from '../../../nudges/optOut';
import type { AppDeps } from '../../app';
import { requireSession } from '../../auth/requireSession';
import { exposureBodySchema, nudgeQuerySchema, optOutBodySchema } from './schema';
import { presentNudge } from './presentNudge';
import { sessionLearner } from './sessionLearner';

/**
 * The learner widget API besides the nudge read (nudgeRoute.ts, mounted first by createApp). Every route takes the
 * course and learner from the session token only (no ids in the URL), so a learner can reach nothing but their own:
 * `POST /api/widget/exposures` (the widget was shown; recorded in memory, deduplicated per learner per day and
 * written in batches by ExposureBatcher),
 * `POST /api/widget/opt-out` (turns nudges and messages off or back on).
 */
export function widgetRoutes(deps: AppDeps): Router {
  const router = Router();
  router.use('/widget/static', express.static(path.join(repoRoot(), 'views/widget/static'), { maxAge: '1h' }));
  const widget = deps.widget;
  if (!widget) throw new Error('widgetRoutes needs deps.widget (createApp provides it)');
  const learnerOnly = requireSession({ roles: ['learner'] });
  const json = express.json({ limit: '1kb' });

  router.post('/api/widget/exposures', learnerOnly, widget.limiter, json, async (req, res, next) => {
    try {
      const { placement } = exposureBodySchema.parse(req.body);
      const { courseId, learnerId } = sessionLearner(req);
      const { exposure } = await widget.nudges.get(courseId, learnerId);
      res.json(exposure ? widget.exposures.record({ courseId, learnerId, content: exposure, placement }) : { logged: false, firstToday: false });
    } catch (error) {
      next(error);
    }
  });

  router.post('/api/widget/opt-out', learnerOnly, widget.limiter, json, async (req, res, next) => {
    try {
      const { optOut } = optOutBodySchema.parse(req.body);
      const { courseId, learnerId } = sessionLearner(req);
      const placement = nudgeQuerySchema.parse(req.query).placement;
      const content = await setLearnerOptOut({ courseId, learnerId, optOut, redis: deps.redis, prefix: deps.redisPrefix ?? 'keepup' });
      widget.nudges.forget(courseId, learnerId);
      res.json(presentNudge(content, placement));
    } catch (error) {
      next(error);
    }
  });
  return router;
}
