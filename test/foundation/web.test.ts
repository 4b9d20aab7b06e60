import request from 'supertest';
import { createApp } from '../../src/web/app';
import { loadConfig } from '../../src/config';

function appWith(mongo: boolean, redis: boolean) {
  return createApp({
    config: loadConfig({ MONGODB_URI: 'mongodb://127.0.0.1:1/x' }),
    checks: { mongo: async () => mongo, redis: async () => redis },
  });
}

describe('web shell', () => {
  it('answers /healthz while the process is up', async () => {
    const res = await request(appWith(false, false)).get('/healthz');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok' });
  });

  it('answers /readyz 200 when MongoDB and Redis are reachable', async () => {
    const res = await request(appWith(true, true)).get('/readyz');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ready', mongo: true, redis: true });
  });

  it('answers /readyz 503 naming what is down', async () => {
    const res = await request(appWith(true, false)).get('/readyz');
    expect(res.status).toBe(503);
    expect(res.body).toEqual({ status: 'unavailable', mongo: true, redis: false });
  });

  it('echoes a request id and returns JSON 404s without stack traces', async () => {
    const res = await request(appWith(true, true)).get('/nope').set('x-request-id', 'abc-123');
    expect(res.status).toBe(404);
    expect(res.headers['x-request-id']).toBe('abc-123');
    expect(res.body).toEqual({ error: 'not_found', message: 'No route for GET /nope', requestId: 'abc-123' });
  });
});
