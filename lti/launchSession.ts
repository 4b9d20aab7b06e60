import type { CourseDoc } from '../src/storage/models/Course';
import type { LearnerDoc } from '../src/storage/models/Learner';
import { courseExternalId, learnerIds, timeZoneFrom, upsertCourse, upsertLearner } from './identityMapper';
import type { ValidatedLaunch } from './launchValidator';
import { KeepupSession, signSession } from './sessionToken';

/** The outcome of a launch: the course and (for learners) learner it resolved to, and a session token for the page. */
export interface StartedSession {
  session: KeepupSession;
  token: string;
  course: CourseDoc;
  learner?: LearnerDoc;
}

/**
 * Turns a validated launch into Keepup state: upserts the course (and the learner, with every id the activity
 * sources use and only the personal data the platform shared), then issues a short-lived session token scoped to
 * platform, deployment, course, user and role.
 */
export async function startSession(launch: ValidatedLaunch, sessionSecret: string): Promise<StartedSession> {
  const course = await upsertCourse(launch);
  let learner: LearnerDoc | undefined;
  if (launch.role === 'learner') {
    const ids = learnerIds(launch.platform.kind, launch.sub, launch.custom, launch.person.preferredUsername);
    const { preferredUsername: _ignored, ...person } = launch.person;
    learner = await upsertLearner(course._id, ids, person, { roles: launch.roles, timeZone: timeZoneFrom(launch.custom) });
  }
  const session: KeepupSession = {
    platformId: String(launch.platform._id),
    deploymentId: launch.deploymentId,
    courseId: String(course._id),
    contextId: launch.context?.id ?? courseExternalId(launch),
    userSub: launch.sub,
    learnerId: learner ? String(learner._id) : undefined,
    role: launch.role,
    sharesName: Boolean(launch.person.name || launch.person.givenName || launch.person.familyName),
    sharesEmail: Boolean(launch.person.email),
  };
  return { session, token: signSession(session, sessionSecret), course, learner };
}
