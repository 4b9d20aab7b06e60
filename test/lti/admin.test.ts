import { loadConfig } from '../../src/config';
import { ensureAdminBootstrap } from '../../src/web/auth/adminBootstrap';
import { Platform } from '../../src/storage/models/Platform';
import { authorize, decodeEntities, postLaunch, useLtiHarness } from './harness';

/** A browser-like client: keeps the admin cookie (even though it is Secure, as browsers do on localhost) and reads CSRF tokens. */
function adminClient(base: string) {
  let cookie = '';
  const remember = (res: Response) => {
    const set = res.headers.getSetCookie().find((c) => c.startsWith('keepup_admin='));
    if (set) cookie = set.split(';')[0];
  };
  return {
    async get(path: string) {
      const res = await fetch(`${base}${path}`, { redirect: 'manual', headers: { cookie } });
      remember(res);
      const html = await res.text();
      return { status: res.status, html, location: res.headers.get('location'), csrf: decodeEntities(/name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '') };
    },
    async post(path: string, form: Record<string, string>) {
      const res = await fetch(`${base}${path}`, { method: 'POST', redirect: 'manual', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form) });
      remember(res);
      return { status: res.status, html: await res.text(), location: res.headers.get('location'), headers: res.headers };
    },
  };
}

describe('admin area', () => {
  const h = useLtiHarness();
  let token: string | undefined;
  const admin = () => adminClient(h.keepupUrl);
  let client: ReturnType<typeof adminClient>;

  beforeAll(async () => {
    client = admin();
    token = await ensureAdminBootstrap(loadConfig({ ...process.env, PUBLIC_URL: h.keepupUrl }));
  });

  it('sends visitors to the login page and refuses to be framed', async () => {
    const res = await admin().get('/admin');
    expect([res.status, res.location]).toEqual([303, '/admin/login']);
    const raw = await fetch(`${h.keepupUrl}/admin/login`);
    expect(raw.headers.get('x-frame-options')).toBe('DENY');
    expect(raw.headers.get('set-cookie')).toMatch(/keepup_admin=[^;]+; Max-Age=28800; Path=\/admin; Expires=[^;]+; HttpOnly; Secure; SameSite=Lax/);
  });

  it('creates the first admin only with the bootstrap token from the log', async () => {
    expect(token).toMatch(/^[\w-]{32}$/);
    const page = await client.get('/admin/setup');
    const wrong = await client.post('/admin/setup', { _csrf: page.csrf, token: 'guess', email: 'ada@example.edu', password: 'correct horse battery' });
    expect(wrong.status).toBe(403);
    expect(wrong.html).toContain('That bootstrap token is not valid');
    const noCsrf = await client.post('/admin/setup', { token: token!, email: 'ada@example.edu', password: 'correct horse battery' });
    expect(noCsrf.status).toBe(403);
    expect(decodeEntities(noCsrf.html)).toContain('The form expired or did not come from this admin area.');
    const ok = await client.post('/admin/setup', { _csrf: page.csrf, token: token!, email: 'ada@example.edu', password: 'correct horse battery' });
    expect([ok.status, ok.location]).toEqual([303, '/admin']);
    const again = await admin().get('/admin/setup');
    expect([again.status, again.location]).toEqual([303, '/admin/login']);
  });

  it('lists the registration URLs and the registered platforms', async () => {
    const home = await client.get('/admin');
    expect(home.status).toBe(200);
    expect(home.html).toContain(`<code id="canvas-json-url">${h.keepupUrl}/lti/config/canvas.json</code>`);
    expect(home.html).toContain(h.platform('openedx').issuer);
  });

  it('registers an Open edX component from the setup page, and it launches', async () => {
    const setup = await client.get('/admin/openedx');
    expect(setup.html).toContain(`<code id="openedx-login-url">${h.keepupUrl}/lti/login</code>`);
    const studio = await fetch(`${h.simulator.url}/openedx/studio/lti_component`, {
      method: 'POST',
      headers: { accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ lti_version: 'lti_1p3', launch_url: `${h.keepupUrl}/lti/launch`, login_url: `${h.keepupUrl}/lti/login`, keyset_url: `${h.keepupUrl}/.well-known/jwks.json`, enable_nrps: '1', pii_sharing: '1' }),
    });
    const values = await studio.json();
    const saved = await client.post('/admin/platforms', { _csrf: setup.csrf, kind: 'openedx', registeredVia: 'openedx_setup', name: 'Open edX unit 2', issuer: values.issuer, clientId: values.clientId, deploymentIds: values.deploymentId, authUrl: values.authUrl, tokenUrl: values.tokenUrl, jwksUrl: values.jwksUrl });
    expect(saved.status).toBe(303);
    expect(await Platform.countDocuments({ issuer: values.issuer })).toBe(2);

    const p = h.platform('openedx');
    const tool = p.tools.get(values.clientId)!;
    const login = await fetch(p.loginInitiationUrl(tool, { user: 'instructor', clientId: tool.clientId, link: p.course.resourceLinks[0].id }), { redirect: 'manual' });
    const launched = await postLaunch(h, await authorize(login.headers.get('location')!), login.headers.getSetCookie()[0].split(';')[0]);
    expect(launched.status).toBe(200);
    expect(launched.html).toContain('class="keepup-instructor"');

    const id = saved.location!.split('/').pop()!;
    const edit = await client.get(`/admin/platforms/${id}`);
    const disabled = await client.post(`/admin/platforms/${id}/status`, { _csrf: edit.csrf, status: 'disabled' });
    expect(disabled.status).toBe(303);
    const refused = await fetch(p.loginInitiationUrl(tool, { user: 'instructor', clientId: tool.clientId }), { redirect: 'manual' });
    expect(refused.status).toBe(403);
    expect(await refused.text()).toContain('This platform registration is disabled.');
  });

  it('rejects an invalid platform form with the problem named', async () => {
    const form = await client.get('/admin/platforms/new?kind=canvas');
    expect(form.html).toContain('value="https://sso.canvaslms.com/api/lti/authorize_redirect"');
    const res = await client.post('/admin/platforms', { _csrf: form.csrf, kind: 'canvas', name: 'Canvas', issuer: 'not a url', clientId: '1', authUrl: 'https://a.example/auth', tokenUrl: 'https://a.example/token', jwksUrl: 'https://a.example/jwks' });
    expect(res.status).toBe(400);
    expect(res.html).toContain('issuer must be a URL');
  });

  it('creates a one-time Dynamic Registration URL', async () => {
    const home = await client.get('/admin');
    const res = await client.post('/admin/registration-invites', { _csrf: home.csrf });
    expect(res.status).toBe(200);
    expect(decodeEntities(res.html)).toMatch(new RegExp(`<code id="registration-url">${h.keepupUrl}/lti/register\\?invite=[\\w-]+</code>`));
  });

  it('signs in with the password, refuses a wrong one, and signs out', async () => {
    const c = admin();
    const page = await c.get('/admin/login');
    const bad = await c.post('/admin/login', { _csrf: page.csrf, email: 'ada@example.edu', password: 'wrong password!!' });
    expect([bad.status, bad.html.includes('Email or password is wrong.')]).toEqual([401, true]);
    const good = await c.post('/admin/login', { _csrf: page.csrf, email: 'ada@example.edu', password: 'correct horse battery' });
    expect([good.status, good.location]).toEqual([303, '/admin']);
    const home = await c.get('/admin');
    expect(home.status).toBe(200);
    await c.post('/admin/logout', { _csrf: home.csrf });
    expect((await c.get('/admin')).location).toBe('/admin/login');
  });
});
