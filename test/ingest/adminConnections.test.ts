import request from 'supertest';
import { loadConfig } from '../../src/config';
import { openCredentials } from '../../src/ingest/dataConnections';
import { AdminUser } from '../../src/storage/models/AdminUser';
import { Course } from '../../src/storage/models/Course';
import { DataConnection } from '../../src/storage/models/DataConnection';
import { hashPassword } from '../../src/web/auth/passwords';
import { createApp } from '../../src/web/app';
import { requireEnv, useTestDb, useTestRedis } from '../support';

const PUBLIC_URL = 'https://keepup.example.edu';

/** Pulls `<code id="name">…</code>` out of a page (decoding the entities handlebars adds). */
function code(html: string, id: string): string {
  const raw = new RegExp(`<code id="${id}">([^<]*)</code>`).exec(html)?.[1];
  if (raw === undefined) throw new Error(`no <code id="${id}"> in the page`);
  return raw.replace(/&#x3D;/g, '=').replace(/&amp;/g, '&');
}

describe('admin data connections', () => {
  useTestDb();
  const redis = useTestRedis();
  let app: ReturnType<typeof createApp>;
  let cookie = '';
  let csrf = '';

  /** An admin client's request with the session cookie (kept even though it is Secure, as browsers do for trusted hosts). */
  const get = (path: string) => request(app).get(path).set('Cookie', cookie);
  const post = (path: string, form: Record<string, string>) => request(app).post(path).set('Cookie', cookie).type('form').send(form);
  const remember = (res: request.Response) => {
    const set = ([] as string[]).concat(res.headers['set-cookie'] ?? []).find((c) => c.startsWith('keepup_admin='));
    if (set) cookie = set.split(';')[0];
  };
  const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)![1];

  beforeAll(async () => {
    app = createApp({ config: loadConfig({ MONGODB_URI: requireEnv('MONGODB_URI'), PUBLIC_URL }), checks: { mongo: async () => true, redis: async () => true }, redis: redis.redis(), redisPrefix: redis.prefix });
    await AdminUser.create({ email: 'grace@example.edu', passwordHash: await hashPassword('correct horse battery') });
    const login = await request(app).get('/admin/login');
    remember(login);
    const signedIn = await post('/admin/login', { _csrf: csrfOf(login.text), email: 'grace@example.edu', password: 'correct horse battery' });
    expect([signedIn.status, signedIn.headers.location]).toEqual([303, '/admin']);
    remember(signedIn);
    const page = await get('/admin/connections');
    csrf = csrfOf(page.text);
  });

  it('sends visitors without an admin session to the login page', async () => {
    const page = await request(app).get('/admin/connections');
    expect([page.status, page.headers.location]).toEqual([303, '/admin/login']);
    const create = await request(app).post('/admin/connections/inbound').type('form').send({ kind: 'xapi', platform: 'openedx', name: 'LRS' });
    expect([create.status, create.headers.location]).toEqual([303, '/admin/login']);
    expect(await DataConnection.countDocuments()).toBe(0);
  });

  it('refuses a form without the CSRF token (403) and creates nothing', async () => {
    const res = await post('/admin/connections/inbound', { kind: 'xapi', platform: 'openedx', name: 'LRS' });
    expect(res.status).toBe(403);
    expect(res.text).toContain('The form expired or did not come from this admin area.');
    const out = await post('/admin/connections/outbound', { _csrf: 'x'.repeat(csrf.length), kind: 'openedx-rest', name: 'edX', baseUrl: 'https://edx.example.edu', externalCourseId: 'course-v1:X+Y+Z', clientId: 'c', clientSecret: 's' });
    expect(out.status).toBe(403);
    expect(await DataConnection.countDocuments()).toBe(0);
  });

  it('links the page from the admin home', async () => {
    const home = await get('/admin');
    expect(home.text).toContain('<a href="/admin/connections">Data connections</a>');
  });

  let secret = '';
  let key = '';
  it('creates an xAPI connection, shows its credentials once, and they work on /xapi/statements', async () => {
    const course = await Course.create({ platform: 'openedx', tenant: 'local', externalId: 'course-v1:Keepup+XAPI+2026', title: 'xAPI course' });
    const created = await post('/admin/connections/inbound', { _csrf: csrf, kind: 'xapi', platform: 'openedx', name: 'Ralph LRS forwarder', courseId: String(course._id) });
    expect(created.status).toBe(201);
    expect(code(created.text, 'endpoint')).toBe(`${PUBLIC_URL}/xapi/`);
    key = code(created.text, 'key');
    secret = code(created.text, 'secret');
    expect(key).toMatch(/^dc_[\w-]{12}$/);
    expect(secret).toMatch(/^[\w-]{32}$/);
    expect(code(created.text, 'bearer')).toBe(`Bearer ${key}.${secret}`);
    expect(code(created.text, 'basic')).toBe(`Basic ${Buffer.from(`${key}:${secret}`).toString('base64')}`);
    const stored = await DataConnection.findOne({ key }).lean();
    expect(stored).toMatchObject({ kind: 'xapi', platform: 'openedx', name: 'Ralph LRS forwarder', tenant: 'local', status: 'active' });
    expect(String(stored!.courseId)).toBe(String(course._id));
    expect(JSON.stringify(stored)).not.toContain(secret);

    const statement = {
      id: '6690e6c9-3ef0-4ed3-8b37-7f3964730bee',
      actor: { objectType: 'Agent', account: { homePage: 'https://edx.example.edu', name: 'learner-1' } },
      verb: { id: 'http://adlnet.gov/expapi/verbs/experienced', display: { 'en-US': 'experienced' } },
      object: { objectType: 'Activity', id: 'https://edx.example.edu/xblock/block-v1:Keepup+XAPI+2026+type@video+block@v1' },
      context: { contextActivities: { parent: [{ id: 'https://edx.example.edu/course/course-v1:Keepup+XAPI+2026', objectType: 'Activity' }] } },
      timestamp: '2026-03-02T10:00:00.000Z',
    };
    const xapi = (authorization: string) => request(app).post('/xapi/statements').set('Authorization', authorization).set('X-Experience-API-Version', '1.0.3').send(statement);
    const accepted = await xapi(`Basic ${Buffer.from(`${key}:${secret}`).toString('base64')}`);
    expect(accepted.status).toBe(200);
    expect(accepted.body).toEqual([statement.id]);
    const refused = await xapi(`Basic ${Buffer.from(`${key}:${secret}x`).toString('base64')}`);
    expect(refused.status).toBe(401);
    expect(refused.body.message).toBe('These data connection credentials are not valid.');
  });

  it('creates Caliper and Canvas Live Events connections with their endpoints', async () => {
    const caliper = await post('/admin/connections/inbound', { _csrf: csrf, kind: 'caliper', platform: 'canvas', name: 'Caliper feed', courseId: '', archiveRaw: 'on' });
    expect(caliper.status).toBe(201);
    expect((await DataConnection.findOne({ name: 'Caliper feed' }).lean())!.settings).toMatchObject({ archiveRaw: true });
    expect(code(caliper.text, 'endpoint')).toBe(`${PUBLIC_URL}/caliper`);
    const live = await post('/admin/connections/inbound', { _csrf: csrf, kind: 'canvas-live', platform: 'canvas', name: 'Live Events', jwksUrl: 'https://canvas.example.edu/api/lti/security/jwks' });
    const liveKey = code(live.text, 'key');
    expect(code(live.text, 'endpoint')).toBe(`${PUBLIC_URL}/canvas/live-events/${liveKey}`);
    expect((await DataConnection.findOne({ key: liveKey }).lean())!.settings).toMatchObject({ jwksUrl: 'https://canvas.example.edu/api/lti/security/jwks' });
    const wrong = await post('/admin/connections/inbound', { _csrf: csrf, kind: 'canvas-live', platform: 'openedx', name: 'Live Events' });
    expect(wrong.status).toBe(400);
    expect(wrong.text).toContain('platform Canvas Live Events connections belong to a Canvas platform');
    expect(wrong.text).toContain('<option value="canvas-live" selected>Canvas Live Events</option>');
    const empty = await post('/admin/connections/inbound', { _csrf: csrf, kind: 'lrs', platform: 'canvas' });
    expect(empty.status).toBe(400);
    expect(empty.text).toContain('kind must be xapi, caliper or canvas-live; name is required');
  });

  it('stores pull connection credentials encrypted, and names bad fields', async () => {
    const canvasSecret = 'canvas-client-secret-7f3a9c1e';
    const refreshToken = 'canvas-refresh-token-51b2d8e0';
    const saved = await post('/admin/connections/outbound', { _csrf: csrf, kind: 'canvas-rest', name: 'Canvas pull', baseUrl: 'https://canvas.example.edu/', externalCourseId: '4711', clientId: '170000000000042', clientSecret: canvasSecret, refreshToken });
    expect([saved.status, saved.headers.location]).toEqual([303, '/admin/connections']);
    const canvas = await DataConnection.findOne({ kind: 'canvas-rest' }).lean();
    expect(canvas).toMatchObject({ platform: 'canvas', name: 'Canvas pull', settings: { baseUrl: 'https://canvas.example.edu', externalCourseId: '4711' } });
    expect(canvas!.credentials).toMatch(/^v1:/);
    const raw = JSON.stringify(await DataConnection.collection.findOne({ _id: canvas!._id }));
    expect(raw).not.toContain(canvasSecret);
    expect(raw).not.toContain(refreshToken);
    expect(openCredentials(canvas!)).toEqual({ clientId: '170000000000042', clientSecret: canvasSecret, refreshToken });
    expect((await Course.findById(canvas!.courseId).lean())!.externalId).toBe('4711');

    const edx = await post('/admin/connections/outbound', { _csrf: csrf, kind: 'openedx-rest', name: 'edX pull', baseUrl: 'https://edx.example.edu', externalCourseId: 'course-v1:Keepup+Pull+2026', clientId: 'edx-client', clientSecret: 'edx-secret-93c1' });
    expect(edx.status).toBe(303);
    const edxDoc = await DataConnection.findOne({ kind: 'openedx-rest' }).lean();
    expect(openCredentials(edxDoc!)).toEqual({ clientId: 'edx-client', clientSecret: 'edx-secret-93c1' });

    const bad = await post('/admin/connections/outbound', { _csrf: csrf, kind: 'canvas-rest', name: 'Broken', baseUrl: 'canvas', externalCourseId: '1', clientId: 'c', clientSecret: 'not-to-be-echoed-1234' });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('baseUrl must be an http(s) URL; refreshToken is required');
    expect(bad.text).not.toContain('not-to-be-echoed-1234');
    expect(await DataConnection.countDocuments({ name: 'Broken' })).toBe(0);
  });

  it('lists connections without any secret, and disables and enables them', async () => {
    const list = await get('/admin/connections');
    expect(list.status).toBe(200);
    expect(list.text).toContain('Ralph LRS forwarder');
    expect(list.text).toContain(`<code>${key}</code>`);
    expect(list.text).toContain('xAPI course (course-v1:Keepup+XAPI+2026)');
    expect(list.text).toContain('Canvas REST (pull)');
    for (const hidden of [secret, 'canvas-client-secret-7f3a9c1e', 'canvas-refresh-token-51b2d8e0', 'edx-secret-93c1']) expect(list.text).not.toContain(hidden);
    expect(list.headers['cache-control']).toBe('no-store');
    const rowOf = (text: string) => list.text.split('<tr data-connection=').find((r) => r.includes(text))!;
    const usedAt = (await DataConnection.findOne({ key }).lean())!.lastUsedAt!;
    expect(rowOf(`<code>${key}</code>`)).toContain(`<td>${usedAt.toISOString().slice(0, 16).replace('T', ' ')}</td><td>active</td>`);
    expect(rowOf('Caliper feed')).toContain('<td>never</td><td>active</td>');
    expect(rowOf('Caliper feed')).toContain('<td>Caliper · raw events archived</td>');
    expect(rowOf('Ralph LRS forwarder')).toContain('<td>xAPI LRS</td>');

    const id = String((await DataConnection.findOne({ key }).lean())!._id);
    const disabled = await post(`/admin/connections/${id}/status`, { _csrf: csrf, status: 'disabled' });
    expect([disabled.status, disabled.headers.location]).toEqual([303, '/admin/connections']);
    const basic = `Basic ${Buffer.from(`${key}:${secret}`).toString('base64')}`;
    const refused = await request(app).post('/xapi/statements').set('Authorization', basic).set('X-Experience-API-Version', '1.0.3').send([]);
    expect(refused.status).toBe(401);
    await post(`/admin/connections/${id}/status`, { _csrf: csrf, status: 'active' });
    expect((await DataConnection.findById(id).lean())!.status).toBe('active');
    const missing = await post('/admin/connections/0123456789abcdef01234567/status', { _csrf: csrf, status: 'disabled' });
    expect(missing.status).toBe(404);
  });
});
