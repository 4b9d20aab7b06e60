import http from 'node:http';
import type { Redis } from 'ioredis';
import type { Config } from '../config';
import { log } from '../log';
import { connectMongo, disconnectMongo, pingMongo } from '../storage/mongo';
import { createRedis, pingRedis } from '../storage/redis';
import { configureJobs, closeJobsConnection } from '../../jobs/connection';
import { closeQueues } from '../../jobs/queues';
import { createApp } from './app';
import { ensureAdminBootstrap } from './auth/adminBootstrap';
import { ensureDemoAdmin } from './auth/demoAdmin';
import { WidgetRuntime } from './routes/widget/WidgetRuntime';

export interface RunningServer {
  url: string;
  server: http.Server;
  /** Stops accepting, waits for in-flight requests (up to the shutdown timeout), closes connections. */
  close(): Promise<void>;
}

/** Connects to MongoDB and Redis, then serves the web app on config.PORT (0 picks a free port). */
export async function startServer(config: Config): Promise<RunningServer> {
  await connectMongo(config.MONGODB_URI);
  configureJobs({ redisUrl: config.REDIS_URL });
  const redis: Redis = createRedis(config.REDIS_URL);
  // The demo's admin first (demo mode only), so a demo does not also log a bootstrap token.
  await ensureDemoAdmin();
  await ensureAdminBootstrap(config);
  const widget = new WidgetRuntime({ redis });
  const app = createApp({ config, redis, widget, checks: { mongo: pingMongo, redis: () => pingRedis(redis) } });
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(config.PORT, '0.0.0.0', resolve));
  const port = (server.address() as { port: number }).port;
  const url = config.PUBLIC_URL ?? `http://localhost:${port}`;
  log.info({ url }, 'web server listening');
  let closing: Promise<void> | undefined;
  return {
    url,
    server,
    close: () =>
      (closing ??= (async () => {
        const done = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        const timer = setTimeout(() => server.closeAllConnections(), config.SHUTDOWN_TIMEOUT_MS);
        await done;
        clearTimeout(timer);
        // After the last request: write the exposures still batched in memory.
        await widget.close().catch((error: Error) => log.error({ err: error.message }, 'writing pending exposures failed'));
        await closeQueues();
        await closeJobsConnection();
        await redis.quit().catch(() => redis.disconnect());
        await disconnectMongo();
        log.info('web server stopped');
      })()),
  };
}
