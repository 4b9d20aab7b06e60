import path from 'node:path';
import crypto from 'node:crypto';
import jwt from 'jsonwebtoken';
import request from 'supertest';
import { loadConfig } from '../../src/config';
import { createInboundConnection } from '../../src/ingest/dataConnections';
import { createApp } from '../../src/web/app';
import { ImportRun } from '../../src/storage/models/ImportRun';
import { XapiStatement } from '../../src/storage/models/XapiStatement';
import { requireEnv, useTestDb } from '../support';
import { activityByUsernameDay, courseIdOf, generate, readJsonLines, tempDir } from './helpers';

describe('push endpoints', () => {
  useTestDb();
  const dir = tempDir('push');
  let app: ReturnType<typeof createApp>;
  let statements: Array<Record<string, unknown>> = [];
  let courseKey = '';

  beforeAll(async () => {
    app = createApp({ config: loadConfig({ MONGODB_URI: requireEnv('MONGODB_URI') }), checks: { mongo: async () => true, redis: async () => true } });
    courseKey = (await generate(dir, { learners: 12, weeks: 2, seed: 21 })).courseId;
    statements = readJsonLines<Record<string, unknown>>(path.join(dir, 'xapi.jsonl.gz'));
  });

  describe('POST /xapi/statements', () => {
    let basic = '';
    let bearer = '';
    beforeAll(async () => {
      const issued = await createInboundConnection({ kind: 'xapi', platform: 'openedx' });
      basic = `Basic ${Buffer.from(`${issued.key}:${issued.secret}`).toString('base64')}`;
      bearer = `Bearer ${issued.bearer}`;
    });
    const post = (body: unknown, auth = basic, version = '1.0.3') =>
      request(app).post('/xapi/statements').set('Authorization', auth).set('X-Experience-API-Version', version).send(body as object);

    it('requires the version header and valid credentials', async () => {
      const noVersion = await request(app).post('/xapi/statements').set('Authorization', basic).send(statements[0]);
      expect(noVersion.status).toBe(400);
      expect(noVersion.body.message).toBe('The X-Experience-API-Version header is required and must be 1.0.x.');
      const wrong = await post(statements[0], `Basic ${Buffer.from('dc_nope:secret').toString('base64')}`);
      expect(wrong.status).toBe(401);
      expect(wrong.body).toMatchObject({ error: 'authentication_required', message: 'These data connection credentials are not valid.' });
      expect(wrong.headers['x-experience-api-version']).toBe('1.0.3');
    });

    it('stores a batch, answers the ids in order, and counts a repeated statement once', async () => {
      const batch = statements.slice(0, 50);
      const first = await post(batch, bearer);
      expect(first.status).toBe(200);
      expect(first.body).toEqual(batch.map((s) => s.id));
      const again = await post(batch.slice(0, 10));
      expect(again.status).toBe(200);
      expect(await XapiStatement.countDocuments()).toBe(50);
      const single = await post(statements[50]);
      expect(single.body).toEqual([statements[50].id]);
      const put = await request(app).put(`/xapi/statements?statementId=${statements[51].id}`).set('Authorization', basic).set('X-Experience-API-Version', '1.0.3').send(statements[51]);
      expect(put.status).toBe(204);
      const run = await ImportRun.findOne({ source: 'push', format: 'xapi' }).lean();
      expect(run).toMatchObject({ read: 52, accepted: 52, rejected: 0 });
    });

    it('refuses a batch with an invalid statement, with a reason per statement, storing nothing', async () => {
      const before = await XapiStatement.countDocuments();
      const bad = [statements[60], { ...statements[61], verb: { id: 'not an iri' } }, { ...statements[62], actor: { mbox: 'mailto:a@example.com' } }, { ...statements[63], timestamp: '2014-02-30T99:00:00Z' }];
      const res = await post(bad);
      expect(res.status).toBe(400);
      expect(res.body.statements).toEqual([
        { index: 1, reason: 'invalid_statement', message: 'verb.id: must be an IRI' },
        { index: 2, reason: 'unsupported_actor', message: 'actor must be identified by an account or openid (mbox identities are not accepted)' },
        { index: 3, reason: 'bad_time', message: 'timestamp "2014-02-30T99:00:00Z" is not a valid time' },
      ]);
      expect(await XapiStatement.countDocuments()).toBe(before);
    });

    it('answers 409 when a stored id comes back with different content', async () => {
      const res = await post([{ ...statements[0], verb: { id: 'http://adlnet.gov/expapi/verbs/experienced' } }]);
      expect(res.status).toBe(409);
      expect(res.body.statements[0]).toMatchObject({ index: 0, reason: 'conflict' });
    });

    it('aggregates all the pushed statements once, however often they were resent', async () => {
      for (let i = 0; i < statements.length; i += 200) expect((await post(statements.slice(i, i + 200))).status).toBe(200);
      for (let i = 0; i < statements.length; i += 500) expect((await post(statements.slice(i, i + 500))).status).toBe(200);
      expect(await XapiStatement.countDocuments()).toBe(statements.length);
      const activity = await activityByUsernameDay(await courseIdOf(courseKey), true);
      let total = 0;
      for (const day of activity.values()) total += Object.values(day.counts).reduce((a, b) => a + (b ?? 0), 0);
      expect(total).toBe(statements.length);
    });
  });

  describe('POST /caliper and Canvas Live Events', () => {
    const liveEvent = (name: string, userId: string, time: string, body: object = {}) => ({
      metadata: { event_name: name, event_time: time, user_id: userId, context_type: 'Course', context_id: '21070000000000555', session_id: 's1', request_id: `r-${name}-${time}`, producer: 'canvas' },
      body,
    });

    it('accepts a Caliper envelope with a Bearer key, keeps the valid events and reports the rest', async () => {
      const issued = await createInboundConnection({ kind: 'caliper', platform: 'canvas' });
      const envelope = { sensor: 'https://canvas.example', sendTime: '2025-03-01T10:00:00Z', dataVersion: 'http://purl.imsglobal.org/ctx/caliper/v1p1', data: [
        { type: 'NavigationEvent', action: 'NavigatedTo', eventTime: '2025-03-01T09:00:00Z', actor: { id: 'urn:instructure:canvas:user:7', type: 'Person' }, object: { id: 'x', type: 'WebPage' }, group: { id: 'urn:instructure:canvas:course:555', type: 'CourseOffering' } },
        { type: 'NavigationEvent', action: 'NavigatedTo', eventTime: '2025-03-01T09:00:00Z', object: { id: 'x' } },
      ] };
      const res = await request(app).post('/caliper').set('Authorization', `Bearer ${issued.bearer}`).send(envelope);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ accepted: 1, rejected: 1, problems: [{ index: 1, reason: 'missing_user', message: 'missing_user' }] });
      const again = await request(app).post('/caliper').set('Authorization', `Bearer ${issued.bearer}`).send(envelope);
      expect(again.status).toBe(200);
      const activity = await activityByUsernameDay(await courseIdOf('555'), true);
      expect([...activity.values()].map((d) => d.counts)).toEqual([{ navigate: 1 }]);
      expect((await request(app).post('/caliper').send(envelope)).status).toBe(401);
    });

    it('verifies signed Live Events against the configured JWKS and refuses unsigned or forged ones', async () => {
      const { privateKey, publicKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
      const jwk = { ...publicKey.export({ format: 'jwk' }), kid: 'canvas-1', alg: 'RS256' };
      const issued = await createInboundConnection({ kind: 'canvas-live', platform: 'canvas', jwks: JSON.stringify({ keys: [jwk] }) });
      const event = liveEvent('asset_accessed', '21070000000000009', '2025-03-02T08:00:00Z', { asset_type: 'attachment', filename: 'lecture1.mp4' });
      const signed = jwt.sign(event, privateKey, { algorithm: 'RS256', keyid: 'canvas-1' });
      const ok = await request(app).post(`/canvas/live-events/${issued.key}`).set('Content-Type', 'application/jwt').send(signed);
      expect(ok.status).toBe(200);
      expect(ok.body).toEqual({ accepted: 1, rejected: 0, problems: [] });
      const unsigned = await request(app).post(`/canvas/live-events/${issued.key}`).send(event);
      expect(unsigned.status).toBe(401);
      const { privateKey: other } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
      const forged = jwt.sign(event, other, { algorithm: 'RS256', keyid: 'canvas-1' });
      const refused = await request(app).post(`/canvas/live-events/${issued.key}`).set('Content-Type', 'application/jwt').send(forged);
      expect(refused.status).toBe(401);
      expect(refused.body.message).toMatch(/^The Live Event signature is not valid/);
      const activity = await activityByUsernameDay(await courseIdOf('555'), true);
      expect(activity.get('9:20149')?.counts).toEqual({ video: 1 });
    });

    it('takes unsigned Canvas-format events with credentials when no JWKS is configured', async () => {
      const issued = await createInboundConnection({ kind: 'canvas-live', platform: 'canvas' });
      const event = liveEvent('submission_created', '21070000000000001', '2025-03-03T08:00:00Z', { user_id: '21070000000000011', assignment_id: '5' });
      const res = await request(app).post(`/canvas/live-events/${issued.key}`).set('Authorization', `Bearer ${issued.bearer}`).send(event);
      expect(res.body).toEqual({ accepted: 1, rejected: 0, problems: [] });
      const activity = await activityByUsernameDay(await courseIdOf('555'), true);
      expect(activity.get('11:20150')).toMatchObject({ counts: { problem: 1 }, problemsAttempted: 1 });
    });
  });
});
