import { fork, ChildProcess } from 'node:child_process';
import path from 'node:path';
import autocannon from 'autocannon';
import mongoose, { Types } from 'mongoose';
import { signSession } from '../lti/sessionToken';
import { log } from '../src/log';
import { createExperiment, startExperiment } from '../src/experiments/experimentLifecycle';
import { refreshNudgeCache } from '../src/nudges/refreshNudgeCache';
import { connectMongo, disconnectMongo } from '../src/storage/mongo';
import { createRedis } from '../src/storage/redis';
import { Course } from '../src/storage/models/Course';
import { Learner } from '../src/storage/models/Learner';
import { Score } from '../src/storage/models/Score';
import { startServices } from '../scripts/services/startServices';

const LEARNERS = Number(process.env.BENCH_LEARNERS) || 5_000;
const CONNECTIONS = 200;
const DURATION = Number(process.env.BENCH_SECONDS) || 10;
const RATE = 500;
const RUN = '2025-03-10';

interface Figures {
  requestsPerSecond: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
}

/** One autocannon run; each request carries the next learner's session token. */
async function measure(url: string, tokens: string[] | null, overallRate?: number, connections = CONNECTIONS): Promise<Figures> {
  let next = 0;
  const result = await autocannon({
    url,
    connections,
    duration: DURATION,
    ...(overallRate ? { overallRate } : {}),
    requests: [
      {
        method: 'GET',
        setupRequest: (req) => (tokens ? { ...req, headers: { ...req.headers, authorization: `Bearer ${tokens[next++ % tokens.length]}` } } : req),
      },
    ],
  });
  return { requestsPerSecond: Math.round(result.requests.average), p50: result.latency.p50, p99: result.latency.p99, errors: result.errors + result.timeouts, non2xx: result.non2xx };
}

/**
 * `npm run bench:widget`: a course of 5,000 learners under the default experiment, its widget content
 * built as after a nightly run, then `GET /api/widget/nudge` (session-token check + one Redis GET) under
 * autocannon with 200 connections: flat out, and at a fixed 500 requests/s (p99 there is the target, at most 25 ms).
 * The baseline is a bare express endpoint (`res.json`) measured the same way in the same run. Both servers run in
 * one child process (bench/widgetServer.ts), autocannon in this one, so they do not share an event loop. Last line: JSON.
 */
async function main(): Promise<void> {
  log.level = 'warn';
  const services = await startServices({ database: 'keepup_bench_widget' });
  const secret = 'bench-session-secret-0123456789abcdef0123';
  process.env.KEEPUP_SESSION_SECRET = secret;
  const redis = createRedis(services.redisUrl);
  const prefix = `benchwidget${Date.now()}`;
  let child: ChildProcess | undefined;
  try {
    await connectMongo(services.mongoUri, { dbName: 'keepup_bench_widget' });
    await mongoose.connection.db!.dropDatabase();
    await Promise.all(Object.values(mongoose.models).map((m) => m.init()));
    const course = await Course.create({ platform: 'openedx', tenant: 'bench', externalId: 'bench-widget', title: 'Bench', lastScoredRunDate: RUN });
    const ids = Array.from({ length: LEARNERS }, () => new Types.ObjectId());
    for (let i = 0; i < LEARNERS; i += 2000) {
      const slice = ids.slice(i, i + 2000);
      await Learner.insertMany(slice.map((_id, j) => ({ _id, courseId: course._id, pseudonym: `L-w${(i + j).toString(16).padStart(8, '0')}`, givenName: (i + j) % 2 ? undefined : 'Ada' })), { ordered: false });
      await Score.insertMany(
        slice.map((learnerId, j) => ({ courseId: course._id, learnerId, runDate: RUN, dropout: ((i + j) % 10) / 10, completion: 0.5, certificate: 0.3, whatIf: { certificatePerVideoHour: 0.03, trustworthy: true }, activity: { lastWeekMinutes: (i + j) % 300, lastWeekProblems: (i + j) % 5 } })),
        { ordered: false },
      );
    }
    const experiment = await createExperiment({ courseId: String(course._id), input: { name: 'Bench' } });
    await startExperiment({ courseId: String(course._id), experimentId: String(experiment._id) });
    const refreshStarted = Date.now();
    const refreshed = await refreshNudgeCache({ courseId: String(course._id), redis, prefix });
    const refreshSeconds = (Date.now() - refreshStarted) / 1000;

    child = fork(path.join(__dirname, 'widgetServer.js'), [], { env: { ...process.env, MONGODB_URI: services.mongoUri, REDIS_URL: services.redisUrl, BENCH_DB: 'keepup_bench_widget', BENCH_PREFIX: prefix }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const urls = await new Promise<{ widget: string; bare: string }>((resolve, reject) => {
      child!.once('message', (m) => resolve(m as { widget: string; bare: string }));
      child!.once('exit', (code) => reject(new Error(`the bench server exited with code ${code}`)));
    });
    const widget = { url: urls.widget };
    const baseline = { url: urls.bare };
    const tokens = ids.map((id) => signSession({ platformId: 'p', deploymentId: 'd', courseId: String(course._id), contextId: 'c', userSub: String(id), learnerId: String(id), role: 'learner', sharesName: true, sharesEmail: false }, secret));

    const check = await fetch(`${widget.url}/api/widget/nudge`, { headers: { authorization: `Bearer ${tokens[0]}` } });
    if (!check.ok) throw new Error(`widget endpoint answered ${check.status}: ${await check.text()}`);
    await measure(`${widget.url}/api/widget/nudge`, tokens.slice(0, 200)); // warm-up (JIT, connections)
    const widgetMax = await measure(`${widget.url}/api/widget/nudge`, tokens);
    const bareMax = await measure(`${baseline.url}/bare`, null);
    const widgetAt500 = await measure(`${widget.url}/api/widget/nudge`, tokens, RATE);
    const bareAt500 = await measure(`${baseline.url}/bare`, null, RATE);
    // One connection, one request at a time: service time without queueing, to read the figures above against.
    const widgetSerial = await measure(`${widget.url}/api/widget/nudge`, tokens, undefined, 1);
    const bareSerial = await measure(`${baseline.url}/bare`, null, undefined, 1);
    process.stdout.write(`widget  flat out: ${widgetMax.requestsPerSecond} req/s, p99 ${widgetMax.p99} ms; at ${RATE} req/s: p99 ${widgetAt500.p99} ms\n`);
    process.stdout.write(`serial (1 connection): widget p50 ${widgetSerial.p50} ms p99 ${widgetSerial.p99} ms; bare p50 ${bareSerial.p50} ms p99 ${bareSerial.p99} ms\n`);
    process.stdout.write(`bare    flat out: ${bareMax.requestsPerSecond} req/s, p99 ${bareMax.p99} ms; at ${RATE} req/s: p99 ${bareAt500.p99} ms\n`);
    const result = {
      bench: 'widget',
      learners: LEARNERS,
      connections: CONNECTIONS,
      durationSeconds: DURATION,
      cacheRefreshSeconds: refreshSeconds,
      learnersWithMessage: refreshed.withMessage,
      widget: { max: widgetMax, atRate: { rate: RATE, ...widgetAt500 }, serial: widgetSerial },
      baseline: { endpoint: 'bare express res.json', max: bareMax, atRate: { rate: RATE, ...bareAt500 }, serial: bareSerial },
      targetP99Ms: 25,
      meetsTarget: widgetAt500.p99 <= 25 && widgetAt500.errors === 0 && widgetAt500.non2xx === 0,
    };
    console.log(JSON.stringify(result));
  } finally {
    if (child?.connected) child.disconnect();
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length) await redis.del(...keys);
    await redis.quit();
    await mongoose.connection.db?.dropDatabase().catch(() => undefined);
    await disconnectMongo();
    await services.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
