import http from 'node:http';
import express from 'express';
import { loadConfig } from '../src/config';
import { log } from '../src/log';
import { connectMongo, disconnectMongo } from '../src/storage/mongo';
import { createRedis } from '../src/storage/redis';
import { createApp } from '../src/web/app';

/**
 * The server side of `npm run bench:widget`, in its own process so the load generator never shares its
 * event loop: Keepup's web app and a bare express endpoint, each on a free port. Reads MONGODB_URI,
 * REDIS_URL, BENCH_DB, BENCH_PREFIX; sends `{ widget, bare }` URLs to the parent, exits on disconnect.
 */
async function main(): Promise<void> {
  log.level = 'warn';
  await connectMongo(process.env.MONGODB_URI!, { dbName: process.env.BENCH_DB });
  const redis = createRedis(process.env.REDIS_URL!);
  const app = createApp({ config: loadConfig({ ...process.env, NODE_ENV: 'production', LOG_LEVEL: 'warn' }), redis, redisPrefix: process.env.BENCH_PREFIX, checks: { mongo: async () => true, redis: async () => true } });
  const bare = express();
  bare.disable('x-powered-by');
  bare.get('/bare', (_req, res) => res.json({ placement: 'widget', message: null, why: '', optedOut: false }));
  const listen = (handler: express.Express) =>
    new Promise<string>((resolve) => {
      const server = http.createServer({ keepAlive: true }, handler);
      server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as { port: number }).port}`));
    });
  const urls = { widget: await listen(app), bare: await listen(bare) };
  process.send!(urls);
  process.on('disconnect', () => {
    void redis.quit().finally(() => disconnectMongo().finally(() => process.exit(0)));
  });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
