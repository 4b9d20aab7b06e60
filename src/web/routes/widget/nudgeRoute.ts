import { Router } from 'express';
import type { AppDeps } from '../../app';
import { requireSession } from '../../auth/requireSession';
import { requestId } from '../../requestId';
import { nudgeQuerySchema } from './schema';
import { sessionLearner } from './sessionLearner';

/**
 * `GET /api/widget/nudge?placement=widget|video`, the widget's read and Keepup's hottest path, mounted first by
 * createApp: request id, session-token check (HS256, cached key; learner role), the per-learner rate limit, then the
 * learner's answer from the process's RenderedNudgeCache — no Redis or MongoDB call on a hit, no per-request log
 * line, written as prepared bytes (no ETag: the answer is `private, no-store`). Course and learner come from the
 * token only, so a learner can read nothing but their own nudge.
 */
export function widgetNudgeRoute(deps: AppDeps): Router {
  const router = Router();
  const widget = deps.widget;
  if (!widget) throw new Error('widgetNudgeRoute needs deps.widget (createApp provides it)');
  const learnerOnly = requireSession({ roles: ['learner'] });
  router.get(
    '/api/widget/nudge',
    (req, res, next) => {
      req.id = requestId(req, res);
      next();
    },
    learnerOnly,
    widget.limiter,
    async (req, res, next) => {
      try {
        const { placement } = nudgeQuerySchema.parse(req.query);
        const { courseId, learnerId } = sessionLearner(req);
        const answer = (await widget.nudges.get(courseId, learnerId)).answers[placement];
        res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': answer.bytes, 'cache-control': 'private, no-store' });
        res.end(answer.body);
      } catch (error) {
        next(error);
      }
    },
  );
  return router;
}
