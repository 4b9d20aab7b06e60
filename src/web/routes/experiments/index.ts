import express, { Router } from 'express';
import rateLimit from 'express-rate-limit';
import jwt from 'jsonwebtoken';
import { analyzeExperiment } from '../../../experiments/analyzeExperiment';
import { storedActivity } from '../../../experiments/activitySource';
import { computeExperimentOutcomes } from '../../../experiments/computeExperimentOutcomes';
import { DEFAULT_ARMS, DEFAULT_HOLDOUT } from '../../../experiments/experimentDefinition';
import { createExperiment, startExperiment, stopExperiment } from '../../../experiments/experimentLifecycle';
import { stratumCounts } from '../../../experiments/stratumCounts';
import { courseClusters } from '../../../insights/clusterAudience';
import { outcomesCsv, resultsCsv } from '../../../experiments/resultsCsv';
import { refreshNudgeCache } from '../../../nudges/refreshNudgeCache';
import { Course } from '../../../storage/models/Course';
import { Experiment, ExperimentDoc } from '../../../storage/models/Experiment';
import { Learner } from '../../../storage/models/Learner';
import { RefreshNudgeCacheTask } from '../../../../jobs/tasks/RefreshNudgeCacheTask';
import type { AppDeps } from '../../app';
import { requireSession } from '../../auth/requireSession';
import { assertInstructorOf } from '../../policies/course';
import { sessionElement } from '../lti/sessionElement';
import { signSession, type KeepupSession } from '../../../../lti/sessionToken';
import { NotFoundError } from '../../../errors';
import { courseParamsSchema, experimentParamsSchema, pageBodySchema } from './schema';
import { presentExperiment } from './presentExperiment';
import { resultsView } from './resultsView';
import { strataView } from './strataView';

/** Courses up to this many learners are assigned and refreshed within the start/stop request; larger ones by a job. */
const INLINE_REFRESH_LIMIT = 5000;

/**
 * Experiments for instructors of a course. JSON API (bearer session token, instructor of that course):
 * list, create, start, stop, results, results.csv, outcomes.csv, compute outcomes now. Pages (opened by a
 * form POST carrying the token, so no cookie and no token in a URL): `POST /experiments` (list and create),
 * `POST /experiments/:experimentId` (results).
 */
export function experimentRoutes(deps: AppDeps): Router {
  const router = Router();
  const limiter = rateLimit({ windowMs: 60_000, limit: 240, standardHeaders: 'draft-7', legacyHeaders: false });
  const instructor = requireSession({ roles: ['instructor'] });
  const json = express.json({ limit: '16kb' });
  const base = '/api/courses/:courseId/experiments';

  /** Refreshes a course's widget content now (small courses) or through the worker (large ones). */
  async function refreshAfterChange(courseId: string): Promise<'done' | 'scheduled'> {
    const learners = await Learner.countDocuments({ courseId, status: 'active' });
    if (learners > INLINE_REFRESH_LIMIT) {
      await new RefreshNudgeCacheTask().schedule({ courseId }, { jobId: `nudges-${courseId}-${Date.now()}` });
      return 'scheduled';
    }
    await refreshNudgeCache({ courseId, redis: deps.redis, prefix: deps.redisPrefix ?? 'keepup' });
    return 'done';
  }

  router.get(base, limiter, instructor, async (req, res, next) => {
    try {
      const { courseId } = courseParamsSchema.parse(req.params);
      assertInstructorOf(req.session!, courseId);
      const experiments = await Experiment.find({ courseId }).sort({ createdAt: -1 }).lean<ExperimentDoc[]>();
      res.json({ experiments: experiments.map(presentExperiment) });
    } catch (error) {
      next(error);
    }
  });

  router.post(base, limiter, instructor, json, async (req, res, next) => {
    try {
      const { courseId } = courseParamsSchema.parse(req.params);
      assertInstructorOf(req.session!, courseId);
      const experiment = await createExperiment({ courseId, input: req.body ?? {}, createdBy: req.session!.userSub });
      res.status(201).json({ experiment: presentExperiment(experiment) });
    } catch (error) {
      next(error);
    }
  });

  for (const action of ['start', 'stop'] as const) {
    router.post(`${base}/:experimentId/${action}`, limiter, instructor, async (req, res, next) => {
      try {
        const { courseId, experimentId } = experimentParamsSchema.parse(req.params);
        assertInstructorOf(req.session!, courseId);
        const experiment = action === 'start' ? await startExperiment({ courseId, experimentId }) : await stopExperiment({ courseId, experimentId });
        const refresh = await refreshAfterChange(courseId);
        const fresh = await Experiment.findById(experiment._id).lean<ExperimentDoc>();
        res.json({ experiment: presentExperiment(fresh ?? experiment), refresh });
      } catch (error) {
        next(error);
      }
    });
  }

  router.post(`${base}/:experimentId/outcomes`, limiter, instructor, async (req, res, next) => {
    try {
      const { courseId, experimentId } = experimentParamsSchema.parse(req.params);
      assertInstructorOf(req.session!, courseId);
      if (!(await Experiment.exists({ _id: experimentId, courseId }))) throw NotFoundError('No such experiment in this course.');
      res.json({ run: await computeExperimentOutcomes({ experimentId, reader: storedActivity }) });
    } catch (error) {
      next(error);
    }
  });

  router.get(`${base}/:experimentId/results`, limiter, instructor, async (req, res, next) => {
    try {
      const { courseId, experimentId } = experimentParamsSchema.parse(req.params);
      assertInstructorOf(req.session!, courseId);
      res.json({ ...(await analyzeExperiment(experimentId, courseId)), strata: await stratumCounts(experimentId) });
    } catch (error) {
      next(error);
    }
  });

  router.get(`${base}/:experimentId/results.csv`, limiter, instructor, async (req, res, next) => {
    try {
      const { courseId, experimentId } = experimentParamsSchema.parse(req.params);
      assertInstructorOf(req.session!, courseId);
      const results = await analyzeExperiment(experimentId, courseId);
      res.type('text/csv').attachment(`experiment-${experimentId}-results.csv`).send(resultsCsv(results));
    } catch (error) {
      next(error);
    }
  });

  router.get(`${base}/:experimentId/outcomes.csv`, limiter, instructor, async (req, res, next) => {
    try {
      const { courseId, experimentId } = experimentParamsSchema.parse(req.params);
      assertInstructorOf(req.session!, courseId);
      await analyzeExperiment(experimentId, courseId);
      res.type('text/csv').attachment(`experiment-${experimentId}-outcomes.csv`);
      for await (const chunk of outcomesCsv(experimentId)) res.write(chunk);
      res.end();
    } catch (error) {
      next(error);
    }
  });

  // Pages: the token arrives in the form body; requireSession reads it as the bearer header would.
  const pageSession = [
    limiter,
    express.urlencoded({ extended: false, limit: '4kb' }),
    (req: express.Request, _res: express.Response, next: express.NextFunction) => {
      const parsed = pageBodySchema.safeParse(req.body ?? {});
      if (parsed.success) req.headers.authorization = `Bearer ${parsed.data.token}`;
      next();
    },
    instructor,
  ];

  function pageView(token: string, s: KeepupSession, title: string) {
    const exp = (jwt.decode(token) as { exp?: number } | null)?.exp ?? 0;
    return { title, courseId: s.courseId, sessionElement: sessionElement({ token, role: s.role, expiresIn: Math.max(0, exp - Math.floor(Date.now() / 1000)), verify: 'token' }) };
  }

  router.post('/experiments', ...pageSession, async (req, res, next) => {
    try {
      const s = req.session!;
      const course = await Course.findById(s.courseId).select({ title: 1 }).lean();
      const experiments = (await Experiment.find({ courseId: s.courseId }).sort({ createdAt: -1 }).lean<ExperimentDoc[]>()).map(presentExperiment);
      res.setHeader('cache-control', 'no-store');
      res.render('experiments/list', {
        ...pageView(pageBodySchema.parse(req.body).token, s, 'Experiments'),
        courseTitle: course?.title ?? '',
        experiments: experiments.map((e) => ({ ...e, isDraft: e.status === 'draft', isRunning: e.status === 'running', armsText: e.arms.map((a) => `${a.label} (${a.weight})`).join(', '), holdoutPercent: Math.round(e.holdout * 100) })),
        defaultArms: DEFAULT_ARMS.map((a) => ({ ...a })),
        defaultHoldoutPercent: Math.round(DEFAULT_HOLDOUT * 100),
        clusters: (await courseClusters(s.courseId)).clusters,
      });
    } catch (error) {
      next(error);
    }
  });

  router.post('/experiments/:experimentId', ...pageSession, async (req, res, next) => {
    try {
      const { experimentId } = experimentParamsSchema.pick({ experimentId: true }).parse(req.params);
      await renderResults(res, experimentId, pageBodySchema.parse(req.body).token, req.session!);
    } catch (error) {
      next(error);
    }
  });

  async function renderResults(res: express.Response, experimentId: string, token: string, s: KeepupSession): Promise<void> {
    const results = await analyzeExperiment(experimentId, s.courseId);
    const experiment = await Experiment.findById(experimentId).select({ stratifyByDropout: 1, stratifyByCluster: 1 }).lean();
    const strata = experiment?.stratifyByDropout || experiment?.stratifyByCluster ? strataView(await stratumCounts(experimentId), results.groups) : null;
    res.setHeader('cache-control', 'no-store');
    res.render('experiments/results', { ...pageView(token, s, `Results: ${results.experiment.name}`), results: resultsView(results), strata, stratifiedByCluster: Boolean(experiment?.stratifyByCluster), isRunning: results.experiment.status === 'running' });
  }

  // Demo mode only (KEEPUP_DEMO=1, never in production): open a results page as an instructor of its course.
  if (process.env.KEEPUP_DEMO === '1') {
    router.get('/demo/experiments/:experimentId', limiter, async (req, res, next) => {
      try {
        const { experimentId } = experimentParamsSchema.pick({ experimentId: true }).parse(req.params);
        const experiment = await Experiment.findById(experimentId).select({ courseId: 1 }).lean();
        if (!experiment) throw NotFoundError('No such experiment.');
        const secret = process.env.KEEPUP_SESSION_SECRET;
        if (!secret) throw NotFoundError('Sessions are not configured.');
        const session: KeepupSession = { platformId: 'demo', deploymentId: 'demo', courseId: String(experiment.courseId), contextId: 'demo', userSub: 'demo-instructor', role: 'instructor', sharesName: false, sharesEmail: false };
        await renderResults(res, experimentId, signSession(session, secret), session);
      } catch (error) {
        next(error);
      }
    });
  }
  return router;
}
