import { Course } from '../../src/storage/models/Course';
import { Learner } from '../../src/storage/models/Learner';
import type { Flavour } from '../../src/simulator/directory';
import { verifySession } from '../../lti/sessionToken';
import { authorize, beginLogin, fullLaunch, postLaunch, sessionFromPage, signAsPlatform, useLtiHarness } from './harness';

const LTI = 'https://purl.imsglobal.org/spec/lti/claim/';
const SECRET = process.env.KEEPUP_SESSION_SECRET!;

/**
 * Conformance suite modelled on the 1EdTech LTI Advantage certification tool tests: every case starts a real
 * OIDC login at Keepup, then the test plays the platform and posts a (possibly broken) id_token to the launch.
 */
describe('LTI 1.3 launch conformance', () => {
  const h = useLtiHarness();

  async function launchWith(mutate: (claims: Record<string, unknown>) => void, options: { flavour?: Flavour; user?: string; alg?: 'RS256' | 'HS256' | 'none'; kid?: string | null } = {}) {
    const flavour = options.flavour ?? 'canvas';
    const user = options.user ?? 'learner';
    const p = h.platform(flavour);
    const tool = h.tool(flavour);
    const login = await beginLogin(h, flavour, { user });
    const claims = p.launchClaims(tool, p.user(user)!, { user, clientId: tool.clientId, link: p.course.resourceLinks[1].id }, login.nonce);
    mutate(claims);
    const idToken = signAsPlatform(p, claims, { alg: options.alg, kid: options.kid });
    return postLaunch(h, { idToken, state: login.state }, login.cookie);
  }

  describe('rejected', () => {
    it('a token without kid', async () => {
      const r = await launchWith(() => {}, { kid: null });
      expect([r.status, r.errorCode, r.errorMessage]).toEqual([401, 'missing_kid', 'The id_token header has no kid (key id).']);
    });

    it('a token with an unknown kid, after refetching the keyset once', async () => {
      await fullLaunch(h, 'canvas', 'learner');
      const before = h.platform('canvas').stats.jwksFetches;
      const r = await launchWith(() => {}, { kid: 'no-such-key' });
      expect([r.status, r.errorCode, r.errorMessage]).toEqual([401, 'unknown_kid', 'The platform\'s keyset has no key with kid "no-such-key".']);
      expect(h.platform('canvas').stats.jwksFetches - before).toBe(1);
    });

    it('a wrong LTI version', async () => {
      const r = await launchWith((c) => (c[`${LTI}version`] = '1.1.0'));
      expect([r.status, r.errorCode, r.errorMessage]).toEqual([400, 'wrong_version', 'The LTI version is "1.1.0"; Keepup accepts 1.3.0.']);
    });

    it('a missing LTI version', async () => {
      const r = await launchWith((c) => delete c[`${LTI}version`]);
      expect([r.status, r.errorCode, r.errorMessage]).toEqual([400, 'missing_claim', 'The id_token has no version claim.']);
    });

    it('an id_token that is not a JWT', async () => {
      const login = await beginLogin(h, 'canvas');
      const r = await postLaunch(h, { idToken: 'this-is-not-a-jwt', state: login.state }, login.cookie);
      expect([r.status, r.errorCode, r.errorMessage]).toEqual([400, 'not_a_jwt', 'The id_token is not a JWT.']);
    });

    it('a token missing every LTI claim', async () => {
      const r = await launchWith((c) => {
        for (const key of Object.keys(c)) if (key.startsWith(LTI)) delete c[key];
      });
      expect([r.status, r.errorCode, r.errorMessage]).toEqual([400, 'no_lti_claims', 'The id_token carries no LTI claims.']);
    });

    it('an expired token', async () => {
      const now = Math.floor(Date.now() / 1000);
      const r = await launchWith((c) => Object.assign(c, { iat: now - 3600, exp: now - 600 }));
      expect([r.status, r.errorCode, r.errorMessage]).toEqual([401, 'expired', 'The id_token has expired.']);
    });

    it('a token issued in the future', async () => {
      const now = Math.floor(Date.now() / 1000);
      const r = await launchWith((c) => Object.assign(c, { iat: now + 600, exp: now + 900 }));
      expect([r.status, r.errorCode, r.errorMessage]).toEqual([401, 'issued_in_future', 'The id_token was issued in the future (iat).']);
    });

    it('a missing message_type', async () => {
      const r = await launchWith((c) => delete c[`${LTI}message_type`]);
      expect([r.status, r.errorCode, r.errorMessage]).toEqual([400, 'missing_claim', 'The id_token has no message_type claim.']);
    });

    it('missing roles', async () => {
      const r = await launchWith((c) => delete c[`${LTI}roles`]);
      expect([r.status, r.errorCode, r.errorMessage]).toEqual([400, 'missing_claim', 'The id_token has no roles claim.']);
    });

    it('a missing deployment_id', async () => {
      const r = await launchWith((c) => delete c[`${LTI}deployment_id`]);
      expect([r.status, r.errorCode, r.errorMessage]).toEqual([400, 'missing_claim', 'The id_token has no deployment_id claim.']);
    });

    it('a missing resource_link.id', async () => {
      const r = await launchWith((c) => (c[`${LTI}resource_link`] = { title: 'no id' }));
      expect([r.status, r.errorCode, r.errorMessage]).toEqual([400, 'missing_claim', 'The id_token has no resource_link.id claim.']);
    });

    it('a missing sub', async () => {
      const r = await launchWith((c) => delete c.sub);
      expect([r.status, r.errorCode, r.errorMessage]).toEqual([400, 'missing_claim', 'The id_token has no sub claim.']);
    });

    it('alg none', async () => {
      const r = await launchWith(() => {}, { alg: 'none' });
      expect([r.status, r.errorCode, r.errorMessage]).toEqual([401, 'alg_not_allowed', 'The id_token is signed with none; only RS256 is accepted.']);
    });

    it('alg HS256', async () => {
      const r = await launchWith(() => {}, { alg: 'HS256' });
      expect([r.status, r.errorCode, r.errorMessage]).toEqual([401, 'alg_not_allowed', 'The id_token is signed with HS256; only RS256 is accepted.']);
    });

    it('a replayed nonce', async () => {
      const first = await beginLogin(h, 'canvas');
      const ok = await postLaunch(h, await authorize(first.authUrl), first.cookie);
      expect(ok.status).toBe(200);
      const r = await launchWith((c) => (c.nonce = first.nonce));
      expect([r.status, r.errorCode, r.errorMessage]).toEqual([401, 'nonce_replayed', 'This launch was already used (replayed nonce).']);
    });

    it('a nonce Keepup never issued', async () => {
      const r = await launchWith((c) => (c.nonce = 'nonce-invented-by-the-attacker'));
      expect([r.status, r.errorCode, r.errorMessage]).toEqual([401, 'nonce_unknown', 'The nonce in the id_token was not issued by Keepup.']);
    });

    it('a state from another browser', async () => {
      const victim = await beginLogin(h, 'canvas');
      const attacker = await beginLogin(h, 'canvas');
      const form = await authorize(attacker.authUrl);
      const r = await postLaunch(h, form, victim.cookie);
      expect([r.status, r.errorCode, r.errorMessage]).toEqual([403, 'state_other_browser', 'The launch came from a different browser than the one that started the login.']);
    });

    it('an unknown deployment', async () => {
      const r = await launchWith((c) => (c[`${LTI}deployment_id`] = 'deployment-nobody-registered'));
      expect([r.status, r.errorCode, r.errorMessage]).toEqual([403, 'unknown_deployment', 'Deployment "deployment-nobody-registered" is not registered for this platform.']);
      expect(r.html).toContain('Add deployment id &quot;deployment-nobody-registered&quot;');
      expect(r.html).not.toMatch(/at .*\.ts:\d+/);
    });

    it('a token signed with a key the platform does not publish under that kid', async () => {
      const p = h.platform('canvas');
      const login = await beginLogin(h, 'canvas');
      const form = await authorize(login.authUrl);
      const [header, payload] = form.idToken.split('.');
      const forged = signAsPlatform(p, JSON.parse(Buffer.from(payload, 'base64url').toString()), {});
      const tampered = `${header}.${Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), sub: 'someone-else' })).toString('base64url')}.${forged.split('.')[2]}`;
      const r = await postLaunch(h, { idToken: tampered, state: form.state }, login.cookie);
      expect([r.status, r.errorCode, r.errorMessage]).toEqual([401, 'bad_signature', 'The id_token signature does not verify against the platform keyset.']);
    });

    it('the same launch posted twice (state is single use)', async () => {
      const login = await beginLogin(h, 'canvas');
      const form = await authorize(login.authUrl);
      expect((await postLaunch(h, form, login.cookie)).status).toBe(200);
      const r = await postLaunch(h, form, login.cookie);
      expect([r.status, r.errorCode, r.errorMessage]).toEqual([401, 'state_unknown', 'The login state is unknown, expired or already used.']);
    });

    it('a launch without the login cookie when the platform offers no platform storage', async () => {
      const login = await beginLogin(h, 'canvas');
      const r = await postLaunch(h, await authorize(login.authUrl));
      expect([r.status, r.errorCode]).toEqual([403, 'state_cookie_missing']);
      expect(r.errorMessage).toBe("The browser did not send Keepup's login cookie, so the launch cannot be tied to the browser that started it.");
    });

    it('an audience that is not Keepup', async () => {
      const r = await launchWith((c) => Object.assign(c, { aud: 'some-other-tool', azp: 'some-other-tool' }));
      expect([r.status, r.errorCode, r.errorMessage]).toEqual([403, 'unknown_platform', 'This platform is not registered with Keepup.']);
    });
  });

  describe('accepted', () => {
    it('a full instructor launch opens the instructor dashboard with an instructor session', async () => {
      const r = await fullLaunch(h, 'canvas', 'instructor');
      expect(r.status).toBe(200);
      expect(r.html).toContain('class="keepup-instructor"');
      expect(r.html).toContain('Biology 101: Cells and Systems');
      const page = sessionFromPage(r.html);
      const session = verifySession(page.token, SECRET);
      const course = await Course.findById(session.courseId).lean();
      expect(course).toMatchObject({ tenant: h.platform('canvas').issuer, externalId: '1234', platform: 'canvas', title: 'Biology 101: Cells and Systems', ltiContextIds: [h.platform('canvas').course.contextId] });
      expect(session).toMatchObject({ role: 'instructor', contextId: h.platform('canvas').course.contextId, deploymentId: h.tool('canvas').deploymentId, learnerId: undefined, sharesName: true, sharesEmail: true });
    });

    it('a full learner launch opens the learner widget and records the learner with every id', async () => {
      const r = await fullLaunch(h, 'canvas', 'learner');
      expect(r.status).toBe(200);
      expect(r.html).toContain('data-placement="widget"');
      const session = verifySession(sessionFromPage(r.html).token, SECRET);
      const user = h.platform('canvas').user('learner')!;
      const learner = await Learner.findById(session.learnerId).lean();
      expect(learner).toMatchObject({ ids: { ltiSub: user.sub, canvasUserId: user.platformUserId }, name: user.name, email: user.email, timeZone: user.timeZone, status: 'active' });
      expect(session.role).toBe('learner');
    });

    it('multiple roles (learner and TA) open the instructor view', async () => {
      const r = await launchWith((c) => (c[`${LTI}roles`] = ['http://purl.imsglobal.org/vocab/lis/v2/membership#Learner', 'http://purl.imsglobal.org/vocab/lis/v2/membership/Instructor#TeachingAssistant']));
      expect(r.status).toBe(200);
      expect(sessionFromPage(r.html).role).toBe('instructor');
    });

    it('short role names', async () => {
      const r = await launchWith((c) => (c[`${LTI}roles`] = ['Instructor']));
      expect(r.status).toBe(200);
      expect(sessionFromPage(r.html).role).toBe('instructor');
    });

    it('an unknown role is treated as a learner', async () => {
      const r = await launchWith((c) => (c[`${LTI}roles`] = ['http://example.com/roles#Wizard']));
      expect(r.status).toBe(200);
      expect(sessionFromPage(r.html).role).toBe('learner');
    });

    it('no personal data', async () => {
      const r = await fullLaunch(h, 'canvas', 'anonymous');
      expect(r.status).toBe(200);
      const session = verifySession(sessionFromPage(r.html).token, SECRET);
      const learner = await Learner.findById(session.learnerId).lean();
      expect([learner?.name, learner?.email, session.sharesName, session.sharesEmail]).toEqual([undefined, undefined, false, false]);
    });

    it('email only', async () => {
      const r = await fullLaunch(h, 'canvas', 'email-only');
      const session = verifySession(sessionFromPage(r.html).token, SECRET);
      const learner = await Learner.findById(session.learnerId).lean();
      expect([learner?.name, learner?.email, session.sharesName, session.sharesEmail]).toEqual([undefined, h.platform('canvas').user('email-only')!.email, false, true]);
    });

    it('names only', async () => {
      const r = await fullLaunch(h, 'canvas', 'names-only');
      const session = verifySession(sessionFromPage(r.html).token, SECRET);
      const learner = await Learner.findById(session.learnerId).lean();
      const user = h.platform('canvas').user('names-only')!;
      expect([learner?.name, learner?.givenName, learner?.familyName, learner?.email, session.sharesName]).toEqual([user.name, user.givenName, user.familyName, undefined, true]);
    });

    it('no context claim (allowed by LTI 1.3): one course per deployment', async () => {
      const r = await launchWith((c) => delete c[`${LTI}context`], { flavour: 'moodle' });
      expect(r.status).toBe(200);
      const session = verifySession(sessionFromPage(r.html).token, SECRET);
      const course = await Course.findById(session.courseId).lean();
      expect(course?.externalId).toBe(`deployment:${h.tool('moodle').deploymentId}`);
    });

    it('a launch signed with a freshly rotated platform key (keyset refetched on the unknown kid)', async () => {
      const p = h.platform('openedx');
      await fullLaunch(h, 'openedx', 'learner');
      const before = p.stats.jwksFetches;
      p.keys.rotate();
      const r = await fullLaunch(h, 'openedx', 'learner');
      expect(r.status).toBe(200);
      expect(p.stats.jwksFetches).toBe(before + 1);
    });
  });
});
