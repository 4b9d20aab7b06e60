import path from 'node:path';
import express, { Express } from 'express';
import type { Redis } from 'ioredis';
import { engine } from 'express-handlebars';
import pinoHttp from 'pino-http';
import type { Config } from '../config';
import { log } from '../log';
import { errorHandler } from './errorHandler';
import { routes } from './routes';
import { widgetNudgeRoute } from './routes/widget/nudgeRoute';
import { WidgetRuntime } from './routes/widget/WidgetRuntime';
import { requestId } from './requestId';
import { repoRoot } from '../../scripts/services/paths';

/** What routes may depend on; passed explicitly so tests can build an app around real services. */
export interface AppDeps {
  config: Config;
  checks: { mongo(): Promise<boolean>; redis(): Promise<boolean> };
  /** Shared Redis client (LTI login state, nonces, sessions); routes that need it answer 503 without it. */
  redis?: Redis;
  /** Prefix for Redis keys; tests use a private one. Default `keepup`. */
  redisPrefix?: string;
  /** The widget's in-process cache, exposure batcher and rate limit; the web server passes one to close on shutdown. Default: createApp builds one. */
  widget?: WidgetRuntime;
}

/** Builds the express app: the widget's nudge read, request ids, JSON logs, views, every registered router, the error handler. */
export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 1);
  const root = repoRoot();
  app.engine('hbs', engine({ extname: '.hbs', defaultLayout: 'main', layoutsDir: path.join(root, 'views/layouts'), partialsDir: path.join(root, 'views/partials') }));
  app.set('view engine', 'hbs');
  app.set('views', path.join(root, 'views'));
  const routeDeps: AppDeps = { ...deps, widget: deps.widget ?? new WidgetRuntime({ redis: deps.redis, prefix: deps.redisPrefix }) };
  // Keepup's hottest path first: it skips pino-http (a child logger and a serialized request per request, even when
  // no line is written) and the layers of every other router. It sets its own request id; errors reach errorHandler.
  app.use(widgetNudgeRoute(routeDeps));
  app.use(pinoHttp({ logger: log, genReqId: requestId, autoLogging: { ignore: (req) => req.url === '/healthz' || req.url === '/readyz' } }));
  app.use('/static', express.static(path.join(root, 'views/public'), { maxAge: '1h' }));
  for (const route of routes) app.use(route(routeDeps));
  app.use((req, res) => {
    res.status(404).json({ error: 'not_found', message: `No route for ${req.method} ${req.path}`, requestId: req.id });
  });
  app.use(errorHandler);
  return app;
}
