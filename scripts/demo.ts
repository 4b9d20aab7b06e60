import { ChildProcess, spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { freePort } from './services/freePort';
import { cacheDir, repoRoot } from './services/paths';
import { startServices } from './services/startServices';
import { DEMO_COURSE, generateDemoCourse } from './demoData';
import { prepareDemoData } from './prepareDemoData';
import { startSmtpSink } from '../src/messaging/demo/smtpSink';
import { DEMO_ADMIN_EMAIL, generateDemoAdminPassword } from '../src/web/auth/demoAdmin';

/**
 * `npm run demo`: starts MongoDB (FerretDB) and a private Redis, a local SMTP sink, the web
 * server (with a demo admin account whose random password is printed and shown on /demo), a worker and
 * the LMS simulator; brings the demo course's activity in through the real
 * paths, scores it, starts an experiment and installs more courses for the insights; prints the
 * URL to open, and stops everything on Ctrl-C.
 */
async function main(): Promise<void> {
  const started = Date.now();
  const step = (text: string) => console.log(`[demo ${((Date.now() - started) / 1000).toFixed(0).padStart(3)} s] ${text}`);
  step('starting MongoDB (FerretDB unless MONGODB_URI is set) and Redis...');
  const services = await startServices({ privateRedis: true });
  const mongoUri = services.startedMongo ? `${services.mongoUri}keepup` : services.mongoUri;
  const children: ChildProcess[] = [];
  const closers: Array<() => Promise<void>> = [];
  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    console.log('\nStopping the demo...');
    await Promise.all(children.map((child) => terminate(child)));
    for (const close of closers) await close().catch(() => undefined);
    await services.stop();
    process.exit(code);
  };
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));

  try {
    step('generating the demo course (Open edX shape, in progress)...');
    const courseDir = cacheDir('demo', 'bio101');
    await generateDemoCourse(courseDir);
    const smtp = await startSmtpSink({ mongoUri });
    closers.push(() => smtp.close());

    const port = Number(process.env.PORT) || (await freePort());
    const keepupUrl = `http://localhost:${port}`;
    const adminPassword = generateDemoAdminPassword();
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      ...demoSecrets(),
      NODE_ENV: 'development',
      KEEPUP_DEMO: '1',
      KEEPUP_DEMO_ADMIN_PASSWORD: adminPassword,
      MONGODB_URI: mongoUri,
      REDIS_URL: services.redisUrl,
      PORT: String(port),
      PUBLIC_URL: keepupUrl,
      SMTP_URL: smtp.url,
      MAIL_FROM: 'Keepup demo <keepup@demo.localhost>',
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    };
    const cli = path.join(repoRoot(), 'dist', 'src', 'cli', 'keepup.js');
    const run = (name: string, args: string[]) => {
      const child = spawn(process.execPath, [cli, ...args], { env, stdio: 'inherit' });
      child.on('exit', (code) => {
        if (!stopping && code !== 0) {
          console.error(`keepup ${name} exited with code ${code}`);
          void stop(1);
        }
      });
      children.push(child);
    };
    step('starting the web server and a worker...');
    run('serve', ['serve']);
    run('worker', ['worker']);
    await waitForReady(`http://127.0.0.1:${port}/readyz`);
    // The LMS simulator (another site: 127.0.0.1) registers Keepup and publishes launch links for /demo;
    // its Open edX course holds the generated learners, so launches meet their imported activity.
    const simulatorPort = await freePort();
    run('simulator', [
      'simulator', '--port', String(simulatorPort), '--register', keepupUrl,
      '--roster', path.join(courseDir, 'roster.jsonl'), '--course-id', DEMO_COURSE.courseId, '--course-title', DEMO_COURSE.title,
    ]);
    step(`Keepup is up at ${keepupUrl}/demo (demo data is still being prepared)`);

    await prepareDemoData({ mongoUri, redisUrl: services.redisUrl, keepupUrl, courseDir, log: step });
    console.log(
      `\nKeepup demo is ready.\n\n  Open: ${keepupUrl}/demo\n  Admin pages: ${keepupUrl}/admin/login  email ${DEMO_ADMIN_EMAIL}  password ${adminPassword} (new every demo run)\n\nPress Ctrl-C to stop everything it started.\n`,
    );
  } catch (error) {
    console.error(`Demo failed: ${(error as Error).stack ?? error}`);
    await stop(1);
  }
}

/** Stable demo secrets kept in the git-ignored cache. */
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
