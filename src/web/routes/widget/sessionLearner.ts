import type express from 'express';
import { AuthorizationError } from '../../../errors';

/** The learner a session is for; learner tokens without a learner id (never issued) are refused. */
export function sessionLearner(req: express.Request): { courseId: string; learnerId: string } {
  const s = req.session!;
  if (!s.learnerId) throw AuthorizationError('This session has no learner.');
  return { courseId: s.courseId, learnerId: s.learnerId };
}
