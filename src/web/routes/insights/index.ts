import express, { Router } from 'express';
import rateLimit from 'express-rate-limit';
import { SESSION_TTL_SECONDS, SessionTokenError, signSession, verifySession } from '../../../../lti/sessionToken';
import { learnersInCluster } from '../../../insights/clusterAudience';
import { installationDesignModel } from '../../../insights/computeCourseInsights';
import { whatIf } from '../../../insights/design/completionModel';
import { DesignVector, FEATURE_INFO } from '../../../insights/design/designFeatures';
import { insightCsv, StoredInsight } from '../../../insights/insightsCsv';
import { presentInsight } from '../../../insights/presentInsight';
import { AuthenticationError, AuthorizationError, KeepupError, NotFoundError, ValidationError } from '../../../errors';
import { Course } from '../../../storage/models/Course';
import { CourseDesign } from '../../../storage/models/CourseDesign';
import { CourseInsight } from '../../../storage/models/CourseInsight';
import type { AppDeps } from '../../app';
import { requireSession } from '../../auth/requireSession';
import { assertInstructorOf } from '../../policies/course';
import { sessionElement } from '../lti/sessionElement';
import { clusterParams, courseParams, csvParams, pageForm, whatIfBody } from './schema';

/**
 * Course insights for instructors of the course (learners get 403):
 * `GET /api/courses/:courseId/insights` (every figure), `GET .../insights/csv/:chart` (a chart's data as CSV),
 * `POST .../insights/what-if` (design what-if), `GET .../insights/clusters/:clusterId/learners` (an audience);
 * `POST /insights` renders the page from a posted session token (the dashboard's hand-off), and in the demo
 * only (KEEPUP_DEMO=1) `GET /demo/insights/:courseId` opens it as an instructor of that course.
 */
export function insightsRoutes(_deps: AppDeps): Router {
  const router = Router();
  const limiter = rateLimit({ windowMs: 60_000, limit: 300, standardHeaders: 'draft-7', legacyHeaders: false });
  const instructor = requireSession({ roles: ['instructor'] });

  router.get('/api/courses/:courseId/insights', limiter, instructor, async (req, res, next) => {
    try {
      const { courseId } = parse(courseParams, req.params);
      assertInstructorOf(req.session!, courseId);
      res.json(presentInsight(await loadInsight(courseId)));
    } catch (error) {
      next(error);
    }
  });

  router.get('/api/courses/:courseId/insights/csv/:chart', limiter, instructor, async (req, res, next) => {
    try {
      const { courseId, chart } = parse(csvParams, req.params);
      assertInstructorOf(req.session!, courseId);
      const body = insightCsv(chart, await loadInsight(courseId));
      res.setHeader('content-type', 'text/csv; charset=utf-8');
      res.setHeader('content-disposition', `attachment; filename="${chart}.csv"`);
      res.send(body);
    } catch (error) {
      next(error);
    }
  });

  router.post('/api/courses/:courseId/insights/what-if', limiter, instructor, express.json({ limit: '4kb' }), async (req, res, next) => {
    try {
      const { courseId } = parse(courseParams, req.params);
      assertInstructorOf(req.session!, courseId);
      const { changes } = parse(whatIfBody, req.body);
      const design = await CourseDesign.findById(courseId).lean();
      if (!design) throw NotFoundError('This course has no stored structure yet, so its design cannot be varied.');
      const { model } = await installationDesignModel();
      if (model.status !== 'ok') throw new KeepupError(`The course model needs at least ${model.minCourses} courses with known completion; this installation has ${model.courses}.`, 409, 'needs_more_courses');
      const base = design.features as DesignVector;
      const changed = { ...base };
      for (const [feature, value] of Object.entries(changes) as Array<[keyof DesignVector, number]>) {
        const info = FEATURE_INFO[feature];
        if (value < info.min || value > info.max) throw ValidationError(`${feature} must be between ${info.min} and ${info.max}.`);
        changed[feature] = value;
      }
      res.json({ base, changed, ...whatIf(model, base, changed), note: 'An association across the courses of this installation, not a promise.' });
    } catch (error) {
      next(error);
    }
  });

  router.get('/api/courses/:courseId/insights/clusters/:clusterId/learners', limiter, instructor, async (req, res, next) => {
    try {
      const { courseId, clusterId } = parse(clusterParams, req.params);
      assertInstructorOf(req.session!, courseId);
      res.json({ clusterId, learnerId: await learnersInCluster(courseId, clusterId) });
    } catch (error) {
      next(error);
    }
  });

  router.post('/insights', limiter, express.urlencoded({ extended: false, limit: '4kb' }), async (req, res, next) => {
    try {
      const { token } = parse(pageForm, req.body);
      const secret = process.env.KEEPUP_SESSION_SECRET;
      if (!secret) throw new KeepupError('Sessions are not configured (KEEPUP_SESSION_SECRET).', 503, 'unavailable');
      let session;
      try {
        session = verifySession(token, secret);
      } catch (error) {
        if (error instanceof SessionTokenError && error.reason === 'expired') throw new KeepupError(error.message, 401, 'session_expired');
        throw AuthenticationError('The session token is not valid.');
      }
      if (session.role !== 'instructor') throw AuthorizationError('Only instructors of this course can see course insights.');
      await renderPage(res, session.courseId, token);
    } catch (error) {
      next(error);
    }
  });

  if (process.env.KEEPUP_DEMO === '1') {
    router.get('/demo/insights/:courseId', async (req, res, next) => {
      try {
        const { courseId } = parse(courseParams, req.params);
        const secret = process.env.KEEPUP_SESSION_SECRET;
        if (!secret) throw new KeepupError('Sessions are not configured (KEEPUP_SESSION_SECRET).', 503, 'unavailable');
        const course = await Course.findById(courseId).lean();
        if (!course) throw NotFoundError('No such course.');
        const token = signSession({ platformId: 'demo', deploymentId: 'demo', courseId, contextId: course.externalId, userSub: 'demo-instructor', role: 'instructor', sharesName: false, sharesEmail: false }, secret);
        await renderPage(res, courseId, token);
      } catch (error) {
        next(error);
      }
    });
  }
  return router;
}

async function renderPage(res: express.Response, courseId: string, token: string): Promise<void> {
  const course = await Course.findById(courseId).select({ title: 1, externalId: 1 }).lean();
  if (!course) throw NotFoundError('No such course.');
  res.setHeader('cache-control', 'no-store');
  res.setHeader('referrer-policy', 'no-referrer');
  res.render('insights/page', {
    title: `Insights · ${course.title || course.externalId}`,
    courseTitle: course.title || course.externalId,
    courseId,
    sessionElement: sessionElement({ token, role: 'instructor', expiresIn: SESSION_TTL_SECONDS, verify: 'cookie' }),
  });
}

async function loadInsight(courseId: string): Promise<StoredInsight> {
  const doc = await CourseInsight.findById(courseId).lean();
  if (!doc) throw NotFoundError('Insights for this course have not been computed yet; they appear after the next nightly run.');
  return doc as unknown as StoredInsight;
}

function parse<T>(schema: { safeParse(v: unknown): { success: true; data: T } | { success: false; error: { issues: Array<{ path: PropertyKey[]; message: string }> } } }, value: unknown): T {
  const result = schema.safeParse(value);
  if (!result.success) throw ValidationError(result.error.issues.map((i) => `${i.path.join('.') || 'input'} ${i.message}`).join('; '));
  return result.data;
}
