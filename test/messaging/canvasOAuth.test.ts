import request from 'supertest';
import { signSession } from '../../lti/sessionToken';
import { loadConfig } from '../../src/config';
import { allocateRound, enqueueRound } from '../../src/messaging/campaignRounds';
import { saveCanvasApiKey } from '../../src/messaging/canvasAuth/canvasApiKeys';
import { canvasFromStoredToken, configureDelivery } from '../../src/messaging/deliveryRuntime';
import { deliverOutboxItem } from '../../src/messaging/outboxDelivery';
import { addApiDeveloperKey, canvasOAuth, type SimApiDeveloperKey } from '../../src/simulator/canvasApi/canvasOAuth';
import { canvasInbox, CONVERSATIONS_SCOPE } from '../../src/simulator/canvasApi/conversationsStore';
import { startSimulator, type RunningSimulator } from '../../src/simulator/createSimulator';
import { AuditEntry } from '../../src/storage/models/AuditEntry';
import { Campaign } from '../../src/storage/models/Campaign';
import { CanvasSenderToken } from '../../src/storage/models/CanvasSenderToken';
import { secrets } from '../../src/storage/secrets';
import { createApp } from '../../src/web/app';
import { STATE_COOKIE } from '../../src/web/routes/canvasConnect';
import { useTestDb, useTestRedis } from '../support';
import { buildCourse, seedRun } from './factories';

const SECRET = process.env.KEEPUP_SESSION_SECRET ?? 'test-session-secret-0123456789abcdef01234';
const PUBLIC_URL = 'http://keepup.test';

describe('Canvas OAuth2 connection for Inbox sends, end to end against the simulator', () => {
  useTestDb();
  const redis = useTestRedis();
  let sim: RunningSimulator;
  let key: SimApiDeveloperKey;
  let app: ReturnType<typeof createApp>;
  let courseId: string;
  const canvas = () => sim.sim.platforms.canvas;
  const bearer = (userSub = 'inst-1') => `Bearer ${signSession({ platformId: 'p1', deploymentId: 'd1', courseId, contextId: 'ctx', userSub, role: 'instructor', sharesName: true, sharesEmail: true }, SECRET)}`;

  beforeAll(async () => {
    sim = await startSimulator();
    key = addApiDeveloperKey(canvas(), { redirectUri: `${PUBLIC_URL}/canvas/oauth/callback`, scopes: [CONVERSATIONS_SCOPE] });
    app = createApp({ config: loadConfig({ ...process.env, NODE_ENV: 'test', PUBLIC_URL }), redis: redis.redis(), redisPrefix: redis.prefix, checks: { mongo: async () => true, redis: async () => true } });
    courseId = String((await buildCourse({ platform: 'canvas', tenant: 'canvas-tenant', externalId: '1234' }))._id);
    configureDelivery({ publicUrl: PUBLIC_URL, canvasFor: canvasFromStoredToken });
  });
  afterAll(async () => {
    configureDelivery(undefined);
    await sim.close();
  });

  /** Dashboard "Connect" → Keepup start (cookie + redirect) → Canvas consent page; returns the cookie and the consent form's request id. */
  async function beginConnect(userSub = 'inst-1') {
    const connect = await request(app).post(`/api/dashboard/courses/${courseId}/canvas/connect`).set('authorization', bearer(userSub));
    expect(connect.status).toBe(200);
    const startUrl = new URL(connect.body.url);
    expect(startUrl.origin + startUrl.pathname).toBe(`${PUBLIC_URL}/canvas/oauth/start`);
    const start = await request(app).get(startUrl.pathname + startUrl.search);
    expect(start.status).toBe(302);
    const cookie = String(start.headers['set-cookie']).split(';')[0];
    expect(String(start.headers['set-cookie'])).toMatch(/HttpOnly/i);
    expect(String(start.headers['set-cookie'])).toMatch(/SameSite=Lax/i);
    const authorize = new URL(start.headers.location);
    expect(authorize.origin + authorize.pathname).toBe(`${sim.url}/canvas/login/oauth2/auth`);
    expect(Object.fromEntries(authorize.searchParams)).toEqual({ client_id: key.clientId, response_type: 'code', redirect_uri: `${PUBLIC_URL}/canvas/oauth/callback`, state: cookie.split('=')[1], scope: CONVERSATIONS_SCOPE });
    const consent = await fetch(authorize);
    expect(consent.status).toBe(200);
    const requestId = /name="request" value="([^"]+)"/.exec(await consent.text())![1];
    return { cookie, requestId, startPath: startUrl.pathname + startUrl.search };
  }

  /** The instructor answers on Canvas's consent page; returns Keepup's callback path with query. */
  async function answer(requestId: string, decision: 'accept' | 'deny', user = 'instructor'): Promise<string> {
    const res = await fetch(`${sim.url}/canvas/login/oauth2/accept`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ request: requestId, decision, user }) });
    expect(res.status).toBe(302);
    const location = new URL(res.headers.get('location')!);
    expect(location.origin).toBe(PUBLIC_URL);
    return location.pathname + location.search;
  }

  it('says Canvas messaging is unavailable until an admin adds the API developer key', async () => {
    const status = await request(app).get(`/api/dashboard/courses/${courseId}/canvas/status`).set('authorization', bearer());
    expect(status.body).toEqual({ available: false, connected: false, connectedByYou: false, renewable: false });
    const connect = await request(app).post(`/api/dashboard/courses/${courseId}/canvas/connect`).set('authorization', bearer());
    expect([connect.status, connect.body.message]).toEqual([400, 'Canvas messaging is not set up for this Canvas: an administrator must add a Canvas API developer key first.']);
    await saveCanvasApiKey({ tenant: 'canvas-tenant', apiBase: `${sim.url}/canvas`, clientId: key.clientId, clientSecret: key.clientSecret });
    const after = await request(app).get(`/api/dashboard/courses/${courseId}/canvas/status`).set('authorization', bearer());
    expect(after.body.available).toBe(true);
  });

  it('connects: consent on Canvas, code exchanged, tokens stored sealed for the instructor and course, and a campaign goes out through them', async () => {
    const { cookie, requestId, startPath } = await beginConnect();
    const callback = await answer(requestId, 'accept');
    expect(new URL(callback, PUBLIC_URL).searchParams.get('state')).toBe(cookie.split('=')[1]);
    const done = await request(app).get(callback).set('cookie', cookie);
    expect(done.status).toBe(200);
    expect(done.text).toContain('data-canvas-connect="connected"');
    expect(canvasOAuth(canvas()).stats.codeExchanges).toBe(1);

    const stored = (await CanvasSenderToken.findOne({ courseId, userSub: 'inst-1' }).lean())!;
    const access = secrets().open(stored.sealedToken);
    const refresh = secrets().open(stored.sealedRefreshToken!);
    expect(JSON.stringify(stored)).not.toContain(access);
    expect(JSON.stringify(stored)).not.toContain(refresh);
    expect(canvas().accessTokens.get(access)).toMatchObject({ clientId: key.clientId, scopes: [CONVERSATIONS_SCOPE], userId: canvas().user('instructor')!.platformUserId });
    expect(stored).toMatchObject({ apiBase: `${sim.url}/canvas`, canvasCourseId: '1234', canvasUserId: canvas().user('instructor')!.platformUserId });
    expect(stored.expiresAt!.getTime()).toBeGreaterThan(Date.now() + 3500_000);
    expect(await AuditEntry.countDocuments({ action: 'canvas.connected' })).toBe(1);
    const status = await request(app).get(`/api/dashboard/courses/${courseId}/canvas/status`).set('authorization', bearer());
    expect(status.body).toEqual({ available: true, connected: true, connectedByYou: true, renewable: true });

    // The handle and the state are single use: replaying either is refused without a second code exchange.
    expect((await request(app).get(startPath)).status).toBe(400);
    const replay = await request(app).get(callback).set('cookie', cookie);
    expect([replay.status, replay.text.includes('expired or was already completed')]).toEqual([400, true]);
    expect(canvasOAuth(canvas()).stats.codeExchanges).toBe(1);

    const learner = canvas().course.users.find((u) => u.role === 'learner')!;
    const course = (await CanvasSenderToken.findOne({ courseId }).lean())!.courseId;
    await seedRun(course, '2024-05-01', [{ givenName: 'Ada', canvasUserId: learner.platformUserId, dropout: 0.9, completion: 0.1, certificate: 0.1 }]);
    const campaign = await Campaign.create({ courseId: course, name: 'OAuth', channel: 'canvas', status: 'active', subject: 'Hello', body: 'Sent with the granted token.', audience: { dropout: { min: 0.5, max: 1 } }, createdBy: { userSub: 'inst-1' } });
    const { queued } = await enqueueRound(campaign._id, await allocateRound(campaign._id));
    expect(await deliverOutboxItem(queued[0]._id)).toEqual({ kind: 'sent', rows: 1 });
    expect(canvasInbox(canvas()).messages.filter((m) => m.subject === 'Hello').map((m) => m.recipientId)).toEqual([learner.platformUserId]);
  });

  it('refuses a callback whose state does not match this browser’s cookie, or that has no cookie', async () => {
    const exchanges = canvasOAuth(canvas()).stats.codeExchanges;
    const first = await beginConnect();
    const second = await beginConnect();
    const callback = await answer(first.requestId, 'accept');
    const crossed = await request(app).get(callback).set('cookie', second.cookie);
    expect(crossed.status).toBe(400);
    expect(crossed.text).toContain('state mismatch');
    const bare = await request(app).get(callback);
    expect([bare.status, bare.text.includes('state mismatch')]).toEqual([400, true]);
    const forged = await request(app).get(`/canvas/oauth/callback?code=stolen&state=${second.cookie.split('=')[1]}x`).set('cookie', second.cookie);
    expect(forged.status).toBe(400);
    expect(canvasOAuth(canvas()).stats.codeExchanges).toBe(exchanges);
  });

  it('reports a refused consent without storing anything', async () => {
    const before = await CanvasSenderToken.countDocuments({ courseId, userSub: 'inst-2' });
    const { cookie, requestId } = await beginConnect('inst-2');
    const callback = await answer(requestId, 'deny');
    expect(new URL(callback, PUBLIC_URL).searchParams.get('error')).toBe('access_denied');
    const res = await request(app).get(callback).set('cookie', cookie);
    expect(res.status).toBe(400);
    expect(res.text).toContain('Canvas did not grant access (access_denied)');
    expect(await CanvasSenderToken.countDocuments({ courseId, userSub: 'inst-2' })).toBe(before);
  });

  it('refreshes an access token that is about to expire, and one Canvas refuses with 401, then sends', async () => {
    const stored = (await CanvasSenderToken.findOne({ courseId, userSub: 'inst-1' }).lean())!;
    const oldAccess = secrets().open(stored.sealedToken);
    canvas().accessTokens.get(oldAccess)!.expiresAt = 0;
    await CanvasSenderToken.updateOne({ _id: stored._id }, { $set: { expiresAt: new Date(Date.now() + 10_000) } });
    const refreshes = canvasOAuth(canvas()).stats.refreshes;

    const first = (await canvasFromStoredToken(stored.courseId, 'inst-1'))!;
    const learner = canvas().course.users.find((u) => u.role === 'learner')!;
    await first.client.send({ recipients: [learner.platformUserId], subject: 'After expiry', body: 'b', contextCode: first.contextCode });
    expect(canvasOAuth(canvas()).stats.refreshes).toBe(refreshes + 1);
    const renewed = (await CanvasSenderToken.findById(stored._id).lean())!;
    const newAccess = secrets().open(renewed.sealedToken);
    expect(newAccess).not.toBe(oldAccess);
    expect(renewed.expiresAt!.getTime()).toBeGreaterThan(Date.now() + 3500_000);
    expect(secrets().open(renewed.sealedRefreshToken!)).toBe(secrets().open(stored.sealedRefreshToken!));

    // Canvas revokes the token early: our expiry says it is fine, Canvas answers 401, Keepup refreshes once and retries.
    canvas().accessTokens.get(newAccess)!.expiresAt = 0;
    const second = (await canvasFromStoredToken(stored.courseId, 'inst-1'))!;
    await second.client.send({ recipients: [learner.platformUserId], subject: 'After revocation', body: 'b', contextCode: second.contextCode });
    expect(canvasOAuth(canvas()).stats.refreshes).toBe(refreshes + 2);
    expect(canvasInbox(canvas()).messages.map((m) => m.subject)).toEqual(expect.arrayContaining(['After expiry', 'After revocation']));
  });

  it('emulates Canvas’s token endpoint errors', async () => {
    const token = (fields: Record<string, string>) => fetch(`${sim.url}/canvas/login/oauth2/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields) });
    const badSecret = await token({ grant_type: 'refresh_token', client_id: key.clientId, client_secret: 'nope', refresh_token: 'x' });
    expect([badSecret.status, (await badSecret.json()).error]).toEqual([401, 'invalid_client']);
    const badCode = await token({ grant_type: 'authorization_code', client_id: key.clientId, client_secret: key.clientSecret, code: 'nope', redirect_uri: `${PUBLIC_URL}/canvas/oauth/callback` });
    expect([badCode.status, await badCode.json()]).toEqual([400, { error: 'invalid_grant', error_description: 'authorization_code not found' }]);
    const offHost = await fetch(`${sim.url}/canvas/login/oauth2/auth?client_id=${key.clientId}&response_type=code&redirect_uri=${encodeURIComponent('https://evil.example/cb')}&state=s`);
    expect([offHost.status, (await offHost.json()).error]).toEqual([400, 'invalid_request']);
    const wideScope = await fetch(`${sim.url}/canvas/login/oauth2/auth?client_id=${key.clientId}&response_type=code&redirect_uri=${encodeURIComponent(`${PUBLIC_URL}/canvas/oauth/callback`)}&state=s&scope=${encodeURIComponent('url:GET|/api/v1/users')}`, { redirect: 'manual' });
    expect(new URL(wideScope.headers.get('location')!).searchParams.get('error')).toBe('invalid_scope');
  });
});
