import http from 'node:http';
import express from 'express';
import { Types } from 'mongoose';
import mongoose from 'mongoose';
import { signSession } from '../lti/sessionToken';
import { loadConfig } from '../src/config';
import { connectMongo, disconnectMongo } from '../src/storage/mongo';
import { createRedis } from '../src/storage/redis';
import { Course } from '../src/storage/models/Course';
import { Learner } from '../src/storage/models/Learner';
import { Score } from '../src/storage/models/Score';
import { createApp } from '../src/web/app';
import { forgetRunColumns } from '../src/web/routes/dashboard/columnarData';
import { startServices } from '../scripts/services/startServices';

const LEARNERS = Number(process.env.BENCH_LEARNERS) || 50_000;
const SAMPLES = Number(process.env.BENCH_SAMPLES) || 30;
const RUN = '2024-05-01';

/** Deterministic pseudo-random numbers (xorshift), so every run measures the same data. */
function rng(seed: number): () => number {
  let x = seed;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return ((x >>> 0) % 1_000_000) / 1_000_000;
  };
}

/** One GET with the raw bytes on the wire counted (no transparent decompression). */
function get(url: string, headers: Record<string, string>): Promise<{ ms: number; bytes: number; status: number }> {
  const started = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers }, (res) => {
        let bytes = 0;
        res.on('data', (chunk: Buffer) => (bytes += chunk.length));
        res.on('end', () => resolve({ ms: Number(process.hrtime.bigint() - started) / 1e6, bytes, status: res.statusCode ?? 0 }));
      })
      .on('error', reject);
  });
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return Math.round(sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] * 10) / 10;
}

/**
 * `npm run bench:dashboard`: 50,000 learners' scores in FerretDB (or MONGODB_URI), the dashboard's columnar
 * endpoint measured over HTTP (p50/p95 latency, bytes on the wire) when served from the per-run cache, from Redis
 * only (a second web process), and on the first build; the baseline is the naive response in the same run: an
 * array of objects per learner read from the database on every request, uncompressed.
 */
async function main(): Promise<void> {
  const services = await startServices({ database: 'keepup_bench_dashboard' });
  const secret = 'bench-session-secret-0123456789abcdef0123';
  process.env.KEEPUP_SESSION_SECRET = secret;
  const redis = createRedis(services.redisUrl);
  const prefix = `bench${Date.now()}`;
  try {
    await connectMongo(services.mongoUri, { dbName: 'keepup_bench_dashboard' });
    await mongoose.connection.db!.dropDatabase();
    await Promise.all([Course.init(), Learner.init(), Score.init()]);
    const course = await Course.create({ platform: 'canvas', tenant: 'bench', externalId: 'bench-course', title: 'Bench', lastScoredRunDate: RUN });
    const random = rng(42);
    const seedStarted = Date.now();
    for (let i = 0; i < LEARNERS; i += 5000) {
      const batch = Array.from({ length: Math.min(5000, LEARNERS - i) }, () => new Types.ObjectId());
      await Learner.insertMany(batch.map((_id, j) => ({ _id, courseId: course._id, pseudonym: `L-${(i + j).toString(16).padStart(8, '0')}` })), { ordered: false });
      await Score.insertMany(
        batch.map((learnerId) => ({
          courseId: course._id,
          learnerId,
          runDate: RUN,
          dropout: random(),
          completion: random(),
          certificate: random(),
          factors: [{ outcome: 'dropout', feature: 'daysSinceLastActivity', text: 'no activity for 9 days', weight: 0.7 }],
          activity: { lastActiveAt: new Date(Date.parse(RUN) - Math.floor(random() * 30) * 86_400_000), lastWeekMinutes: Math.round(random() * 300), lastWeekProblems: Math.round(random() * 10) },
        })),
        { ordered: false },
      );
    }
    const seedMs = Date.now() - seedStarted;

    const app = createApp({ config: loadConfig({ ...process.env, MONGODB_URI: services.mongoUri, NODE_ENV: 'production', LOG_LEVEL: 'silent' }), redis, redisPrefix: prefix, checks: { mongo: async () => true, redis: async () => true } });
    const outer = express();
    outer.get('/bench/naive', async (_req, res) => {
      const scores = await Score.find({ courseId: course._id, runDate: RUN }).lean();
      res.json(scores.map((s) => ({ learnerId: String(s.learnerId), dropout: s.dropout, completion: s.completion, certificate: s.certificate, lastActiveAt: s.activity?.lastActiveAt, lastWeekMinutes: s.activity?.lastWeekMinutes })));
    });
    outer.use(app);
    const server = http.createServer(outer);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    const token = signSession({ platformId: 'p', deploymentId: 'd', courseId: String(course._id), contextId: 'c', userSub: 'bench', role: 'instructor', sharesName: false, sharesEmail: false }, secret);
    const headers = { authorization: `Bearer ${token}`, 'accept-encoding': 'gzip' };
    const url = `${base}/api/dashboard/courses/${course._id}/data`;

    forgetRunColumns();
    const cold = await get(url, headers);
    const warm: Array<{ ms: number; bytes: number; status: number }> = [];
    for (let i = 0; i < SAMPLES; i++) warm.push(await get(url, headers));
    const fromRedis: Array<{ ms: number; bytes: number; status: number }> = [];
    for (let i = 0; i < Math.min(10, SAMPLES); i++) {
      forgetRunColumns();
      fromRedis.push(await get(url, headers));
    }
    const identity = await get(url, { authorization: headers.authorization });
    const naive: Array<{ ms: number; bytes: number; status: number }> = [];
    for (let i = 0; i < 3; i++) naive.push(await get(`${base}/bench/naive`, {}));
    server.close();
    const failed = [cold, ...warm, ...fromRedis, identity, ...naive].find((r) => r.status !== 200);
    if (failed) throw new Error(`a request answered ${failed.status}`);

    const result = {
      bench: 'dashboard',
      learners: LEARNERS,
      seedSeconds: Math.round(seedMs / 100) / 10,
      columnar: {
        p50Ms: percentile(warm.map((w) => w.ms), 50),
        p95Ms: percentile(warm.map((w) => w.ms), 95),
        wireBytes: warm[0].bytes,
        uncompressedBytes: identity.bytes,
        redisOnlyP50Ms: percentile(fromRedis.map((w) => w.ms), 50),
        firstBuildMs: Math.round(cold.ms),
        samples: warm.length,
      },
      baseline: { kind: 'array of objects from the database per request, uncompressed JSON', p50Ms: percentile(naive.map((n) => n.ms), 50), wireBytes: naive[0].bytes, samples: naive.length },
      targets: { p50Ms: 300, wireBytes: 2_000_000 },
      meetsTargets: percentile(warm.map((w) => w.ms), 50) <= 300 && warm[0].bytes <= 2_000_000,
    };
    console.log(JSON.stringify(result));
  } finally {
    await mongoose.connection.db?.dropDatabase().catch(() => undefined);
    await disconnectMongo().catch(() => undefined);
    const keys = await redis.keys(`${prefix}:*`).catch(() => [] as string[]);
    if (keys.length) await redis.del(...keys).catch(() => undefined);
    await redis.quit().catch(() => undefined);
    await services.stop();
  }
}

main().catch((error: Error) => {
  console.error(error.stack ?? error.message);
  process.exit(1);
});
