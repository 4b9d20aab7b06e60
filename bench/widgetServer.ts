import http from 'node:http';
import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';
import express from 'express';
import { loadConfig } from '../src/config';
import { connectMongo, disconnectMongo } from '../src/storage/mongo';
import { createRedis } from '../src/storage/redis';
import { createApp } from '../src/web/app';
import { WidgetRuntime } from '../src/web/routes/widget/WidgetRuntime';

/** What the server process measured about itself since the last `reset`. */
export interface ServerStats {
  /** CPU time (user + system) of this process, ms. */
  cpuMs: number;
  /** Garbage collection: total pause time and longest pause, ms. */
  gcMs: number;
  gcMaxMs: number;
  /** Event-loop delay percentiles, ms (how long a ready callback waited for the loop). */
  loopDelayP99Ms: number;
  loopDelayMaxMs: number;
  /** The widget process's rendered-nudge cache: hits and misses since the reset, entries held. */
  nudgeCache?: { hits: number; misses: number; entries: number };
}

/**
 * The server side of `npm run bench:widget`, one process per endpoint so neither shares an event loop or a heap
 * with the load generator or the other: argv[2] `widget` serves Keepup's web app as `keepup serve` builds it
 * (production mode, LOG_LEVEL as given — info by default, its log lines discarded by the parent — and its own
 * WidgetRuntime), `bare` a bare express endpoint. Reads MONGODB_URI, REDIS_URL, BENCH_DB, BENCH_PREFIX; sends
 * `{ url }` to the parent, then answers `reset` / `stats` messages with its own CPU, GC and event-loop figures
 * (ServerStats); exits on disconnect.
 */
async function main(): Promise<void> {
  const kind = process.argv[2];
  let handler: express.Express;
  let close = async () => undefined as void;
  let widget: WidgetRuntime | undefined;
  if (kind === 'widget') {
    await connectMongo(process.env.MONGODB_URI!, { dbName: process.env.BENCH_DB });
    const redis = createRedis(process.env.REDIS_URL!);
    widget = new WidgetRuntime({ redis, prefix: process.env.BENCH_PREFIX });
    handler = createApp({ config: loadConfig({ ...process.env, NODE_ENV: 'production' }), redis, redisPrefix: process.env.BENCH_PREFIX, widget, checks: { mongo: async () => true, redis: async () => true } });
    close = async () => {
      await widget!.close();
      await redis.quit();
      await disconnectMongo();
    };
  } else if (kind === 'bare') {
    handler = express();
    handler.disable('x-powered-by');
    handler.get('/bare', (_req, res) => res.json({ placement: 'widget', message: null, why: '', optedOut: false }));
  } else throw new Error(`Usage: widgetServer.js widget|bare (got ${kind})`);
  const server = http.createServer({ keepAlive: true }, handler);
  const url = await new Promise<string>((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as { port: number }).port}`)));

  const loop = monitorEventLoopDelay({ resolution: 1 });
  loop.enable();
  let gcMs = 0;
  let gcMaxMs = 0;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      gcMs += entry.duration;
      gcMaxMs = Math.max(gcMaxMs, entry.duration);
    }
  }).observe({ entryTypes: ['gc'] });
  let cpu = process.cpuUsage();
  const round = (v: number) => Math.round(v * 100) / 100;
  process.on('message', (message) => {
    if (message === 'reset') {
      cpu = process.cpuUsage();
      gcMs = 0;
      gcMaxMs = 0;
      loop.reset();
      if (widget) Object.assign(widget.nudges.stats, { hits: 0, misses: 0 });
      process.send!('reset');
    } else if (message === 'stats') {
      const used = process.cpuUsage(cpu);
      const stats: ServerStats = {
        cpuMs: round((used.user + used.system) / 1000),
        gcMs: round(gcMs),
        gcMaxMs: round(gcMaxMs),
        loopDelayP99Ms: round(loop.percentile(99) / 1e6),
        loopDelayMaxMs: round(loop.max / 1e6),
        ...(widget ? { nudgeCache: { ...widget.nudges.stats, entries: widget.nudges.size } } : {}),
      };
      process.send!(stats);
    }
  });
  process.send!({ url });
  process.on('disconnect', () => {
    void close().finally(() => process.exit(0));
  });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
