import { signSession, verifySession } from '../../lti/sessionToken';
import { fullLaunch, sessionFromPage, useLtiHarness } from './harness';

const SECRET = process.env.KEEPUP_SESSION_SECRET!;

describe('session tokens and course/role policies', () => {
  const h = useLtiHarness();
  const api = (path: string, token?: string) => fetch(`${h.keepupUrl}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });

  async function tokens() {
    const instructor = sessionFromPage((await fullLaunch(h, 'canvas', 'instructor')).html).token;
    const learner = sessionFromPage((await fullLaunch(h, 'canvas', 'learner')).html).token;
    const otherLearner = sessionFromPage((await fullLaunch(h, 'canvas', 'email-only')).html).token;
    const otherCourseInstructor = sessionFromPage((await fullLaunch(h, 'openedx', 'instructor')).html).token;
    return { instructor, learner, otherLearner, otherCourseInstructor };
  }

  it('lets an instructor read the roster of their course', async () => {
    const t = await tokens();
    const courseId = verifySession(t.instructor, SECRET).courseId;
    const res = await api(`/api/courses/${courseId}/roster`, t.instructor);
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.pseudonym.length).toBe(body.name.length);
    expect(body.email).toContain(h.platform('canvas').user('learner')!.email);
  });

  it('never lets a learner read instructor data', async () => {
    const t = await tokens();
    const courseId = verifySession(t.learner, SECRET).courseId;
    const res = await api(`/api/courses/${courseId}/roster`, t.learner);
    expect([res.status, await res.json()]).toEqual([403, expect.objectContaining({ error: 'authorization_error', message: 'Only instructors of this course can see this.' })]);
  });

  it("never lets a learner read another learner", async () => {
    const t = await tokens();
    const other = verifySession(t.otherLearner, SECRET);
    const own = verifySession(t.learner, SECRET);
    expect((await api(`/api/courses/${own.courseId}/learners/${own.learnerId}`, t.learner)).status).toBe(200);
    const res = await api(`/api/courses/${other.courseId}/learners/${other.learnerId}`, t.learner);
    expect([res.status, (await res.json()).message]).toEqual([403, 'Learners can only see their own data.']);
  });

  it("never lets an instructor's token reach another course", async () => {
    const t = await tokens();
    const canvasCourse = verifySession(t.instructor, SECRET).courseId;
    const res = await api(`/api/courses/${canvasCourse}/roster`, t.otherCourseInstructor);
    expect([res.status, (await res.json()).message]).toEqual([403, 'This session is for another course.']);
  });

  it('answers 401 without a bearer token, with a forged one, and session_expired for an expired one', async () => {
    const t = await tokens();
    const session = verifySession(t.learner, SECRET);
    const noToken = await api('/api/session');
    expect([noToken.status, (await noToken.json()).message]).toEqual([401, 'Send the Keepup session token as Authorization: Bearer <token>.']);
    const forged = await api('/api/session', signSession(session, 'another-secret-another-secret-another-secret'));
    expect([forged.status, (await forged.json()).error]).toEqual([401, 'authentication_required']);
    const expired = await api('/api/session', signSession(session, SECRET, -10));
    expect([expired.status, await expired.json()]).toEqual([401, expect.objectContaining({ error: 'session_expired', message: 'Your Keepup session has expired. Open Keepup again from your course.' })]);
    const ok = await api('/api/session', t.learner);
    expect(await ok.json()).toMatchObject({ role: 'learner', courseId: session.courseId, courseTitle: 'Biology 101: Cells and Systems', learnerId: session.learnerId });
  });

  it('issues tokens that expire after 15 minutes and never puts them in a URL', async () => {
    const r = await fullLaunch(h, 'canvas', 'learner');
    const { token } = sessionFromPage(r.html);
    const [, payload] = token.split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    expect(claims.exp - claims.iat).toBe(900);
    expect(r.html).not.toMatch(/[?&](token|ltik)=/);
  });
});
