import { spawn } from 'node:child_process';
import http from 'node:http';
import path from 'node:path';
import { freePort } from '../../scripts/services/freePort';
import { requireEnv, uniqueName } from '../support';

const cli = path.join(__dirname, '..', '..', 'dist', 'src', 'cli', 'keepup.js');

function get(url: string, agent?: http.Agent): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent }, (res) => {
        let body = '';
        res.on('data', (c) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      })
      .on('error', reject);
  });
}

describe('keepup serve as a process', () => {
  it('serves /readyz, then stops cleanly on SIGTERM and closes kept-alive connections', async () => {
    const port = await freePort();
    const child = spawn(process.execPath, [cli, 'serve'], {
      env: {
        ...process.env,
        PORT: String(port),
        MONGODB_URI: requireEnv('MONGODB_URI').replace(/\/?$/, `/${uniqueName('serve')}`),
        LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (c) => (output += c));
    child.stderr.on('data', (c) => (output += c));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));

    const deadline = Date.now() + 30_000;
    let ready = { status: 0, body: '' };
    while (Date.now() < deadline) {
      ready = await get(`http://127.0.0.1:${port}/readyz`).catch(() => ({ status: 0, body: '' }));
      if (ready.status === 200) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(ready.status).toBe(200);
    expect(JSON.parse(ready.body)).toEqual({ status: 'ready', mongo: true, redis: true });

    const agent = new http.Agent({ keepAlive: true });
    expect((await get(`http://127.0.0.1:${port}/healthz`, agent)).status).toBe(200);

    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    agent.destroy();
    const lines = output.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
    expect(lines.some((l) => l.msg === 'shutting down' && l.signal === 'SIGTERM')).toBe(true);
    expect(lines.some((l) => l.msg === 'web server stopped')).toBe(true);
    await expect(get(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
  });
});
