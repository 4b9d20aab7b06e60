import { verifySession } from '../../lti/sessionToken';
import { Course } from '../../src/storage/models/Course';
import { Learner } from '../../src/storage/models/Learner';
import { seedCourseFromRoster } from '../../src/simulator/rosterSeed';
import { fullLaunch, sessionFromPage, useLtiHarness } from './harness';

const SECRET = process.env.KEEPUP_SESSION_SECRET!;
const COURSE_KEY = 'course-v1:KeepupX+IMPORT1+2026_T1';

describe('a launch into a course whose activity was imported first', () => {
  const h = useLtiHarness();

  it('adopts the imported course and joins the imported learner by username', async () => {
    const imported = await Course.create({ tenant: 'local', platform: 'openedx', externalId: COURSE_KEY, title: COURSE_KEY });
    const learner = await Learner.create({ courseId: imported._id, ids: { username: 'gen_learner_0', userId: '9001', anonymousId: '0b6f4d2e-1111-4222-a333-444455556666' } });
    seedCourseFromRoster(
      h.platform('openedx'),
      [{ userId: '9001', username: 'gen_learner_0', anonymousId: '0b6f4d2e-1111-4222-a333-444455556666', ltiSub: 'lti-sub-of-amara', canvasUserId: '1', firstName: 'Amara', lastName: 'Diallo', name: 'Amara Diallo', email: 'amara@example.edu', timeZone: 'Europe/Paris' }],
      { courseId: COURSE_KEY, title: 'Imported course' },
    );

    const session = verifySession(sessionFromPage((await fullLaunch(h, 'openedx', 'learner')).html).token, SECRET);
    expect(session.courseId).toBe(String(imported._id));
    expect(session.learnerId).toBe(String(learner._id));
    const adopted = await Course.findById(imported._id).lean();
    expect(adopted?.tenant).toBe(h.platform('openedx').issuer);
    expect(await Course.countDocuments({ externalId: COURSE_KEY })).toBe(1);
    const joined = await Learner.findById(learner._id).lean();
    expect(joined?.ids).toMatchObject({ ltiSub: 'lti-sub-of-amara', username: 'gen_learner_0', anonymousId: '0b6f4d2e-1111-4222-a333-444455556666' });
    expect(joined?.givenName).toBe('Amara');
  });
});
