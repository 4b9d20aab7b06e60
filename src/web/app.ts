import crypto from 'node:crypto';
import path from 'node:path';
import express, { Express } from 'express';
import type { Redis } from 'ioredis';
import { engine } from 'express-handlebars';
import pinoHttp from 'pino-http';
import type { Config } from '../config';
import { log } from '../log';
import { errorHandler } from './errorHandler';
import { routes } from './routes';
import { repoRoot } from '../../scripts/services/paths';

/** What routes may depend on; passed explicitly so tests can build an app around real services. */
export interface AppDeps {
  config: Config;
  checks: { mongo(): Promise<boolean>; redis(): Promise<boolean> };
  /** Shared Redis client (LTI login state, nonces, sessions); routes that need it answer 503 without it. */
  redis?: Redis;
  /** Prefix for Redis keys; tests use a private one. Default `keepup`. */
  redisPrefix?: string;
}

/** Builds the express app: request ids, JSON logs, views, every registered router, the error handler. */
export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 1);
  const root = repoRoot();
  app.engine('hbs', engine({ extname: '.hbs', defaultLayout: 'main', layoutsDir: path.join(root, 'views/layouts'), partialsDir: path.join(root, 'views/partials') }));
  app.set('view engine', 'hbs');
  app.set('views', path.join(root, 'views'));
  app.use(
    pinoHttp({
      logger: log,
      genReqId: (req, res) => {
        const given = req.headers['x-request-id'];
        const id = typeof given === 'string' && /^[\w-]{1,64}$/.test(given) ? given : crypto.randomUUID();
        res.setHeader('x-request-id', id);
        return id;
      },
      autoLogging: { ignore: (req) => req.url === '/healthz' || req.url === '/readyz' },
    }),
  );
  app.use('/static', express.static(path.join(root, 'views/public'), { maxAge: '1h' }));
  for (const route of routes) app.use(route(deps));
  app.use((req, res) => {
    res.status(404).json({ error: 'not_found', message: `No route for ${req.method} ${req.path}`, requestId: req.id });
  });
  app.use(errorHandler);
  return app;
}
