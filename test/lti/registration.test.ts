import { Deployment } from '../../src/storage/models/Deployment';
import { Platform } from '../../src/storage/models/Platform';
import { registrationInvites } from '../../lti/registration/registrationInvites';
import { createRedis } from '../../src/storage/redis';
import { fullLaunch, useLtiHarness } from './harness';

describe('registration', () => {
  const h = useLtiHarness();
  const redis = createRedis(process.env.REDIS_URL!);
  afterAll(() => redis.quit());

  it('serves the Canvas JSON configuration with placements, scopes, privacy and custom fields', async () => {
    const res = await fetch(`${h.keepupUrl}/lti/config/canvas.json`);
    const config = await res.json();
    expect(config).toMatchObject({
      title: 'Keepup',
      oidc_initiation_url: `${h.keepupUrl}/lti/login`,
      target_link_uri: `${h.keepupUrl}/lti/launch`,
      public_jwk_url: `${h.keepupUrl}/.well-known/jwks.json`,
      custom_fields: { canvas_user_id: '$Canvas.user.id', canvas_course_id: '$Canvas.course.id', timezone: '$Person.address.timezone' },
    });
    expect(config.scopes).toEqual(expect.arrayContaining(['https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly', 'https://purl.imsglobal.org/spec/lti-ags/scope/score']));
    const ext = config.extensions[0];
    expect(ext.privacy_level).toBe('public');
    expect(ext.settings.placements.map((p: { placement: string; message_type: string; visibility?: string }) => [p.placement, p.message_type, p.visibility])).toEqual([
      ['course_navigation', 'LtiResourceLinkRequest', 'admins'],
      ['link_selection', 'LtiDeepLinkingRequest', undefined],
      ['assignment_selection', 'LtiDeepLinkingRequest', undefined],
    ]);
  });

  it('registered each simulator flavour the way an admin would, and each launches', async () => {
    const stored = await Platform.find({}).sort({ kind: 1 }).lean();
    expect(stored.map((p) => [p.kind, p.registeredVia])).toEqual([['canvas', 'canvas_json'], ['moodle', 'dynamic'], ['openedx', 'openedx_setup']]);
    const moodle = stored.find((p) => p.kind === 'moodle')!;
    expect(await Deployment.countDocuments({ platformId: moodle._id })).toBe(1);
    for (const flavour of ['canvas', 'openedx', 'moodle'] as const) {
      expect((await fullLaunch(h, flavour, 'instructor')).status).toBe(200);
    }
  });

  it('publishes a keyset the simulator verifies our signatures with', async () => {
    const jwks = await (await fetch(`${h.keepupUrl}/.well-known/jwks.json`)).json();
    expect(jwks.keys.length).toBeGreaterThanOrEqual(1);
    expect(jwks.keys[0]).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig' });
  });

  it('refuses Dynamic Registration without an admin invite', async () => {
    const init = await (await fetch(`${h.simulator.url}/canvas/register-tool?url=${encodeURIComponent(`${h.keepupUrl}/lti/register`)}`, { headers: { accept: 'application/json' } })).json();
    const res = await fetch(init.registrationUrl);
    const html = await res.text();
    expect(res.status).toBe(400);
    expect(html).toContain('This registration link is missing its invite code, has expired or was already used.');
  });

  it('registers Canvas by Dynamic Registration with an invite, which is then used up', async () => {
    const invite = await registrationInvites.create(redis, h.prefix);
    const url = `${h.keepupUrl}/lti/register?invite=${invite}`;
    const first = await (await fetch(`${h.simulator.url}/canvas/register-tool?url=${encodeURIComponent(url)}`, { headers: { accept: 'application/json' } })).json();
    const res = await fetch(first.registrationUrl);
    const html = await res.text();
    expect(res.status).toBe(200);
    expect(html).toContain('Keepup is registered');
    expect(html).toContain('/lti/static/registered.js');
    const tool = [...h.platform('canvas').tools.values()].at(-1)!;
    expect(tool.customFields).toEqual({ canvas_user_id: '$Canvas.user.id', canvas_course_id: '$Canvas.course.id', timezone: '$Person.address.timezone' });
    expect(await Platform.countDocuments({ issuer: h.platform('canvas').issuer })).toBe(2);
    const again = await (await fetch(`${h.simulator.url}/canvas/register-tool?url=${encodeURIComponent(url)}`, { headers: { accept: 'application/json' } })).json();
    expect((await fetch(again.registrationUrl)).status).toBe(400);
  });

  it('asks which registration is meant when an issuer has several client ids and the login omits client_id', async () => {
    const p = h.platform('canvas');
    const res = await fetch(`${h.keepupUrl}/lti/login?iss=${encodeURIComponent(p.issuer)}&login_hint=learner&target_link_uri=${encodeURIComponent(`${h.keepupUrl}/lti/launch`)}`);
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('Several registrations share this issuer and the login did not say which one.');
  });
});
