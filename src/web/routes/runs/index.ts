import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { Router } from 'express';
import { z } from 'zod';
import { configureJobs, jobsSettings } from '../../../../jobs/connection';
import { getQueue, QUEUE_NAMES } from '../../../../jobs/queues';
import { NotFoundError, ValidationError } from '../../../errors';
import { Course } from '../../../storage/models/Course';
import { NightlyRun, type NightlyRunDoc } from '../../../storage/models/NightlyRun';
import { NightlyRunPart } from '../../../storage/models/NightlyRunPart';
import type { AppDeps } from '../../app';
import { requireAdmin } from '../../auth/adminSession';
import { presentRun } from './presentRun';

const listQuery = z.object({ course: z.string().regex(/^[0-9a-f]{24}$/).optional(), status: z.enum(['running', 'completed', 'failed']).optional() });

/**
 * Admin pages for the nightly pipeline: `/admin/runs` (recent runs with step progress, refreshed while any
 * runs), `/admin/runs/:id` (one run: steps, partitions, models, summary) and the BullMQ board at
 * `/admin/queues`. Mounted after the admin router, whose cookie session sets `req.adminSession`.
 */
export function runsRoutes(deps: AppDeps): Router {
  const router = Router();
  router.get('/admin/runs', requireAdmin, async (req, res, next) => {
    try {
      const query = listQuery.safeParse(req.query);
      if (!query.success) throw ValidationError('Unknown filter.');
      const runs = await NightlyRun.find({ ...(query.data.course ? { courseId: query.data.course } : {}), ...(query.data.status ? { status: query.data.status } : {}) }, { population: 0 })
        .sort({ startedAt: -1 })
        .limit(50)
        .lean<NightlyRunDoc[]>();
      const views = await presentRuns(runs);
      res.render('runs/index', { title: 'Nightly runs', runs: views, running: views.some((r) => r.status === 'running') });
    } catch (error) {
      next(error);
    }
  });
  router.get('/admin/runs/:id', requireAdmin, async (req, res, next) => {
    try {
      const run = await NightlyRun.findById(String(req.params.id), { population: 0 }).lean<NightlyRunDoc>();
      if (!run) throw NotFoundError('That run does not exist.');
      const [view] = await presentRuns([run]);
      res.render('runs/show', { title: `Run ${run.runDate}`, run: view, running: view.status === 'running', partitions: run.partitions ?? [] });
    } catch (error) {
      next(error);
    }
  });
  if (deps.redis) {
    const board = new ExpressAdapter();
    board.setBasePath('/admin/queues');
    let mounted = false;
    router.use('/admin/queues', requireAdmin, (req, res, next) => {
      if (!mounted) {
        try {
          jobsSettings();
        } catch {
          configureJobs({ redisUrl: deps.config.REDIS_URL, prefix: deps.redisPrefix });
        }
        // @bull-board/express 9.10.1 pins its own @bull-board/api, whose adapter type differs only nominally from ours.
        createBullBoard({ queues: QUEUE_NAMES.map((name) => new BullMQAdapter(getQueue(name), { readOnlyMode: false })), serverAdapter: board as unknown as Parameters<typeof createBullBoard>[0]['serverAdapter'] });
        mounted = true;
      }
      board.getRouter()(req, res, next);
    });
  }
  return router;
}

async function presentRuns(runs: NightlyRunDoc[]) {
  const courseIds = [...new Set(runs.map((r) => r.courseId))];
  const courses = await Course.find({ _id: { $in: courseIds } }, { title: 1, externalId: 1 }).lean();
  const titles = new Map(courses.map((c) => [String(c._id), c.title || c.externalId]));
  const parts = await NightlyRunPart.find({ runId: { $in: runs.map((r) => r._id) } }, { runId: 1, step: 1 }).lean();
  return runs.map((run) => {
    const mine = parts.filter((p) => p.runId === run._id);
    return presentRun(run, titles.get(run.courseId) ?? run.courseId, { features: mine.filter((p) => p.step === 'features').length, score: mine.filter((p) => p.step === 'score').length });
  });
}
