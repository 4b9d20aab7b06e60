import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import pino from 'pino';
import pinoHttp from 'pino-http';
import { logOptions } from '../../src/log';

describe('request logs', () => {
  it('censor bearer tokens, Basic credentials and cookies but keep the rest of the request', async () => {
    const lines: string[] = [];
    const sink = new Writable({ write: (chunk, _enc, done) => (lines.push(String(chunk)), done()) });
    const logger = pino({ ...logOptions, level: 'info' }, sink);
    const httpLogger = pinoHttp({ logger });
    const server = http.createServer((req, res) => {
      httpLogger(req, res);
      res.setHeader('set-cookie', 'keepup_admin=s3cr3t-session; HttpOnly');
      res.end('ok');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      await fetch(`http://127.0.0.1:${port}/xapi/statements`, { headers: { authorization: 'Bearer eyJ.secret-token', cookie: 'keepup_admin=abc123' } });
      await fetch(`http://127.0.0.1:${port}/caliper`, { headers: { authorization: `Basic ${Buffer.from('key:secret-pass').toString('base64')}` } });
    } finally {
      server.close();
    }
    const text = lines.join('');
    const entries = lines.map((l) => JSON.parse(l) as { req: { url: string; headers: Record<string, string> }; res: { headers: Record<string, string> } });
    expect(entries.map((e) => e.req.url)).toEqual(['/xapi/statements', '/caliper']);
    expect(entries[0].req.headers.authorization).toBe('[redacted]');
    expect(entries[0].req.headers.cookie).toBe('[redacted]');
    expect(entries[0].res.headers['set-cookie']).toBe('[redacted]');
    expect(entries[1].req.headers.authorization).toBe('[redacted]');
    expect(entries[0].req.headers.host).toBe(`127.0.0.1:${port}`);
    for (const secret of ['secret-token', 'abc123', 's3cr3t-session', Buffer.from('key:secret-pass').toString('base64')]) expect(text).not.toContain(secret);
  });
});
