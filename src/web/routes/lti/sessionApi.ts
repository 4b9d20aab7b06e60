import { Router } from 'express';
import { z } from 'zod';
import { Course } from '../../../storage/models/Course';
import { Learner } from '../../../storage/models/Learner';
import { NotFoundError } from '../../../errors';
import type { AppDeps } from '../../app';
import { requireSession } from '../../auth/requireSession';
import { assertInstructorOf, assertSelfOrInstructor } from '../../policies/course';

const objectId = z.string().regex(/^[a-f\d]{24}$/i, 'must be an id');

/**
 * APIs every launched page can use, each checking the session's course and role:
 * `GET /api/session` (who am I), `GET /api/courses/:courseId/roster` (instructors: learners as columns),
 * `GET /api/courses/:courseId/learners/:learnerId` (the learner themself, or an instructor).
 */
export function sessionApiRoutes(deps: AppDeps): Router {
  const router = Router();
  router.get('/api/session', requireSession({ secret: deps.config.KEEPUP_SESSION_SECRET }), async (req, res, next) => {
    try {
      const s = req.session!;
      const course = await Course.findById(s.courseId).select({ title: 1 }).lean();
      res.json({ role: s.role, courseId: s.courseId, courseTitle: course?.title ?? '', contextId: s.contextId, learnerId: s.learnerId ?? null, sharesName: s.sharesName, sharesEmail: s.sharesEmail });
    } catch (error) {
      next(error);
    }
  });

  router.get('/api/courses/:courseId/roster', requireSession({ secret: deps.config.KEEPUP_SESSION_SECRET }), async (req, res, next) => {
    try {
      const courseId = objectId.parse(req.params.courseId);
      assertInstructorOf(req.session!, courseId);
      const learners = await Learner.find({ courseId, status: { $ne: 'removed' } }).sort({ pseudonym: 1 }).select({ pseudonym: 1, name: 1, email: 1, status: 1 }).lean();
      res.json({
        learnerId: learners.map((l) => String(l._id)),
        pseudonym: learners.map((l) => l.pseudonym),
        name: learners.map((l) => l.name ?? null),
        email: learners.map((l) => l.email ?? null),
        status: learners.map((l) => l.status),
      });
    } catch (error) {
      next(error);
    }
  });

  router.get('/api/courses/:courseId/learners/:learnerId', requireSession({ secret: deps.config.KEEPUP_SESSION_SECRET }), async (req, res, next) => {
    try {
      const courseId = objectId.parse(req.params.courseId);
      const learnerId = objectId.parse(req.params.learnerId);
      assertSelfOrInstructor(req.session!, courseId, learnerId);
      const learner = await Learner.findOne({ _id: learnerId, courseId }).lean();
      if (!learner) throw NotFoundError('No such learner in this course.');
      res.json({ learnerId: String(learner._id), pseudonym: learner.pseudonym, name: learner.name ?? null, timeZone: learner.timeZone ?? null, status: learner.status });
    } catch (error) {
      next(error);
    }
  });
  return router;
}
