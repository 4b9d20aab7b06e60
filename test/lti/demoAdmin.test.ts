import request from 'supertest';
import { loadConfig } from '../../src/config';
import { AdminUser } from '../../src/storage/models/AdminUser';
import { DEMO_ADMIN_EMAIL, demoAdminCredentials, ensureDemoAdmin, generateDemoAdminPassword } from '../../src/web/auth/demoAdmin';
import { adminDemoSection } from '../../src/web/routes/admin/demoSection';
import { createApp } from '../../src/web/app';
import { useTestDb, useTestRedis } from '../support';
import { decodeEntities } from './harness';

useTestDb();
const redis = useTestRedis();

/** Signs in on /admin/login (CSRF token and cookie from the form) and returns the status, redirect and session cookie. */
async function signIn(app: ReturnType<typeof createApp>, email: string, password: string) {
  const form = await request(app).get('/admin/login');
  const cookie = form.headers['set-cookie']![0].split(';')[0];
  const csrf = decodeEntities(/name="_csrf" value="([^"]+)"/.exec(form.text)![1]);
  const res = await request(app).post('/admin/login').set('cookie', cookie).type('form').send({ _csrf: csrf, email, password });
  return { status: res.status, location: res.headers.location, cookie: (res.headers['set-cookie'] as unknown as string[] | undefined)?.[0]?.split(';')[0] ?? cookie };
}

describe('demo admin account', () => {
  const app = () => createApp({ config: loadConfig({ ...process.env, NODE_ENV: 'test' }), redis: redis.redis(), redisPrefix: redis.prefix, checks: { mongo: async () => true, redis: async () => true } });

  afterEach(() => {
    delete process.env.KEEPUP_DEMO;
    delete process.env.KEEPUP_DEMO_ADMIN_PASSWORD;
  });

  it('is never created outside demo mode, even when a password is handed over', async () => {
    const password = generateDemoAdminPassword();
    expect(demoAdminCredentials({ KEEPUP_DEMO_ADMIN_PASSWORD: password })).toBeUndefined();
    expect(await ensureDemoAdmin({ KEEPUP_DEMO_ADMIN_PASSWORD: password })).toBeUndefined();
    process.env.KEEPUP_DEMO_ADMIN_PASSWORD = password;
    expect(await adminDemoSection({ deps: {} as never, baseUrl: 'http://x' })).toBeNull();
    expect(await AdminUser.countDocuments({})).toBe(0);
  });

  it('is created in demo mode, shown on the demo page next to the admin links, and signs in to the admin pages', async () => {
    process.env.KEEPUP_DEMO = '1';
    process.env.KEEPUP_DEMO_ADMIN_PASSWORD = generateDemoAdminPassword();
    const credentials = await ensureDemoAdmin();
    expect(credentials).toEqual({ email: DEMO_ADMIN_EMAIL, password: process.env.KEEPUP_DEMO_ADMIN_PASSWORD });

    const demo = await request(app()).get('/demo');
    expect(demo.status).toBe(200);
    const page = decodeEntities(demo.text);
    expect(page).toContain(`<td>${DEMO_ADMIN_EMAIL}</td><td>${credentials!.password}</td>`);
    for (const path of ['/admin/login', '/admin/runs', '/admin/connections', '/admin/canvas-messaging', '/admin/queues', '/admin/imports']) expect(page).toContain(`href="${path}"`);

    const session = await signIn(app(), DEMO_ADMIN_EMAIL, credentials!.password);
    expect([session.status, session.location]).toEqual([303, '/admin']);
    for (const path of ['/admin/runs', '/admin/connections', '/admin/canvas-messaging', '/admin/imports']) {
      const res = await request(app()).get(path).set('cookie', session.cookie);
      expect([path, res.status]).toEqual([path, 200]);
    }
  });

  it('gets a new password on the next demo run, and the old one stops working', async () => {
    process.env.KEEPUP_DEMO = '1';
    const first = generateDemoAdminPassword();
    await ensureDemoAdmin({ KEEPUP_DEMO: '1', KEEPUP_DEMO_ADMIN_PASSWORD: first });
    const second = generateDemoAdminPassword();
    await ensureDemoAdmin({ KEEPUP_DEMO: '1', KEEPUP_DEMO_ADMIN_PASSWORD: second });
    expect(second).not.toBe(first);
    expect(await AdminUser.countDocuments({ email: DEMO_ADMIN_EMAIL })).toBe(1);
    expect((await signIn(app(), DEMO_ADMIN_EMAIL, first)).status).toBe(401);
    expect((await signIn(app(), DEMO_ADMIN_EMAIL, second)).status).toBe(303);
  });
});
