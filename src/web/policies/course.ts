import type { KeepupSession } from '../../../lti/sessionToken';
import { AuthorizationError } from '../../errors';

/** Asserts the session belongs to this course (a token never reaches another course's data). */
export function assertSameCourse(session: KeepupSession, courseId: string): void {
  if (session.courseId !== courseId) throw AuthorizationError('This session is for another course.');
}

/** Asserts the session is an instructor's in this course. */
export function assertInstructorOf(session: KeepupSession, courseId: string): void {
  assertSameCourse(session, courseId);
  if (session.role !== 'instructor') throw AuthorizationError('Only instructors of this course can see this.');
}

/** Asserts the session may read this learner: the learner themself, or an instructor of the course. */
export function assertSelfOrInstructor(session: KeepupSession, courseId: string, learnerId: string): void {
  assertSameCourse(session, courseId);
  if (session.role === 'instructor') return;
  if (session.learnerId !== learnerId) throw AuthorizationError('Learners can only see their own data.');
}
