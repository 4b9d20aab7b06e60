import { ChildProcess, spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { freePort } from './services/freePort';
import { cacheDir, repoRoot } from './services/paths';
import { startServices } from './services/startServices';

/**
 * `npm run demo`: starts MongoDB (FerretDB) and Redis, prepares the demo data, starts the
 * web server and a worker, prints the URL to open, and stops everything on Ctrl-C.
 */
async function main(): Promise<void> {
  const services = await startServices({ database: 'keepup_demo' });
  const children: ChildProcess[] = [];
  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    console.log('\nStopping the demo...');
    await Promise.all(children.map((child) => terminate(child)));
    await services.stop();
    process.exit(code);
  };
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));

  try {
    const port = Number(process.env.PORT) || (await freePort());
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      ...demoSecrets(),
      NODE_ENV: 'development',
      KEEPUP_DEMO: '1',
      MONGODB_URI: services.mongoUri,
      REDIS_URL: services.redisUrl,
      PORT: String(port),
      PUBLIC_URL: `http://localhost:${port}`,
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    };
    const cli = path.join(repoRoot(), 'dist', 'src', 'cli', 'keepup.js');
    for (const sub of ['serve', 'worker']) {
      const child = spawn(process.execPath, [cli, sub], { env, stdio: 'inherit' });
      child.on('exit', (code) => {
        if (!stopping) {
          console.error(`keepup ${sub} exited with code ${code}`);
          void stop(1);
        }
      });
      children.push(child);
    }
    await waitForReady(`http://127.0.0.1:${port}/readyz`);
    // The LMS simulator (another site: 127.0.0.1) registers Keepup and publishes launch links for /demo.
    const simulator = spawn(process.execPath, [cli, 'simulator', '--port', String(await freePort()), '--register', `http://localhost:${port}`], { env, stdio: 'inherit' });
    children.push(simulator);
    console.log(`\nKeepup demo is running.\n\n  Open: http://localhost:${port}/demo\n\nPress Ctrl-C to stop everything it started.\n`);
  } catch (error) {
    console.error(`Demo failed to start: ${(error as Error).message}`);
    await stop(1);
  }
}

/** Stable demo secrets kept in the git-ignored cache, so demo data stays readable across runs. */
function demoSecrets(): Record<string, string> {
  const file = path.join(cacheDir('demo'), 'secrets.json');
  if (!fs.existsSync(file)) {
    const secret = () => crypto.randomBytes(32).toString('base64url');
    fs.writeFileSync(file, JSON.stringify({ KEEPUP_ENCRYPTION_KEY: secret(), KEEPUP_SESSION_SECRET: secret() }), { mode: 0o600 });
  }
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

async function waitForReady(url: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await fetch(url).then((r) => r.ok, () => false);
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`${url} did not answer 200 within ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

function terminate(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

void main();
