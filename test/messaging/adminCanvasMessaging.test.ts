import request from 'supertest';
import { loadConfig } from '../../src/config';
import { canvasApiKeyFor } from '../../src/messaging/canvasAuth/canvasApiKeys';
import { AdminUser } from '../../src/storage/models/AdminUser';
import { CanvasApiKey } from '../../src/storage/models/CanvasApiKey';
import { hashPassword } from '../../src/web/auth/passwords';
import { createApp } from '../../src/web/app';
import { requireEnv, useTestDb, useTestRedis } from '../support';

describe('admin: Canvas messaging API developer key', () => {
  useTestDb();
  const redis = useTestRedis();
  let app: ReturnType<typeof createApp>;
  let cookie = '';
  const get = (path: string) => request(app).get(path).set('Cookie', cookie);
  const post = (path: string, form: Record<string, string>) => request(app).post(path).set('Cookie', cookie).type('form').send(form);
  const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)![1];
  const remember = (res: request.Response) => {
    const set = ([] as string[]).concat(res.headers['set-cookie'] ?? []).find((c) => c.startsWith('keepup_admin='));
    if (set) cookie = set.split(';')[0];
  };

  beforeAll(async () => {
    app = createApp({ config: loadConfig({ MONGODB_URI: requireEnv('MONGODB_URI'), PUBLIC_URL: 'https://keepup.example.edu' }), checks: { mongo: async () => true, redis: async () => true }, redis: redis.redis(), redisPrefix: redis.prefix });
    await AdminUser.create({ email: 'grace@example.edu', passwordHash: await hashPassword('correct horse battery') });
    const login = await request(app).get('/admin/login');
    remember(login);
    remember(await post('/admin/login', { _csrf: csrfOf(login.text), email: 'grace@example.edu', password: 'correct horse battery' }));
  });

  it('shows the redirect URI and scope to enter in Canvas, and saves the key with its secret sealed', async () => {
    expect((await get('/admin')).text).toContain('<a href="/admin/canvas-messaging">Canvas messaging</a>');
    const page = await get('/admin/canvas-messaging');
    expect(page.status).toBe(200);
    expect(page.text).toContain('<code id="redirect-uri">https://keepup.example.edu/canvas/oauth/callback</code>');
    expect(page.text).toContain('url:POST|/api/v1/conversations');
    const csrf = csrfOf(page.text);

    const refused = await post('/admin/canvas-messaging', { _csrf: csrf, tenant: 'https://canvas.instructure.com', apiBase: 'not a url', clientId: '17000000000001', clientSecret: 'shh-very-secret' });
    expect(refused.status).toBe(400);
    expect(refused.text).toContain('apiBase');
    expect(refused.text).not.toContain('shh-very-secret');
    expect((await post('/admin/canvas-messaging', { tenant: 'x', apiBase: 'https://a.example', clientId: '1', clientSecret: 'secret-123' })).status).toBe(403);

    const saved = await post('/admin/canvas-messaging', { _csrf: csrf, tenant: 'https://canvas.instructure.com', apiBase: 'https://school.instructure.com/', clientId: '17000000000001', clientSecret: 'shh-very-secret' });
    expect([saved.status, saved.headers.location]).toEqual([303, '/admin/canvas-messaging']);
    expect(await canvasApiKeyFor('https://canvas.instructure.com')).toEqual({ apiBase: 'https://school.instructure.com', clientId: '17000000000001', clientSecret: 'shh-very-secret' });
    expect(JSON.stringify(await CanvasApiKey.find({}).lean())).not.toContain('shh-very-secret');
    const list = await get('/admin/canvas-messaging');
    expect(list.text).toContain('<code>17000000000001</code>');
    expect(list.text).not.toContain('shh-very-secret');
  });
});
