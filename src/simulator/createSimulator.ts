import http from 'node:http';
import express, { Express, Router } from 'express';
import { simulatorRouters } from './routers';
import { Simulator } from './Simulator';

export interface SimulatorOptions {
  /** Interface to listen on. Default 127.0.0.1 (a different site from `localhost`, as an LMS is from a tool). */
  host?: string;
  /** Port; 0 picks a free one. */
  port?: number;
  /** Routers added after the built-in ones (tests, REST emulations). */
  routers?: Array<(sim: Simulator) => Router>;
}

export interface RunningSimulator {
  url: string;
  sim: Simulator;
  app: Express;
  close(): Promise<void>;
}

/** Builds the simulator's express app for a known public base URL. */
export function createSimulatorApp(sim: Simulator, extra: Array<(sim: Simulator) => Router> = []): Express {
  const app = express();
  app.disable('x-powered-by');
  for (const router of [...simulatorRouters, ...extra]) app.use(router(sim));
  app.use((_req, res) => res.status(404).json({ error: 'not_found' }));
  return app;
}

/** Starts the LMS simulator (Canvas, Open edX and Moodle flavours) on its own port. */
export async function startSimulator(options: SimulatorOptions = {}): Promise<RunningSimulator> {
  const host = options.host ?? '127.0.0.1';
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, host, resolve));
  const url = `http://${host}:${(server.address() as { port: number }).port}`;
  const sim = new Simulator(url);
  const app = createSimulatorApp(sim, options.routers);
  server.on('request', app);
  return {
    url,
    sim,
    app,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
