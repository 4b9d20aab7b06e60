import type { Router } from 'express';
import type { AppDeps } from '../app';
import { demoRoutes } from './demo';
import { healthRoutes } from './health';
import { ltiRoutes } from './lti';
import { adminRoutes } from './admin';
import { dashboardRoutes } from './dashboard';
import { canvasConnectRoutes } from './canvasConnect';
import { bounceRoutes } from './bounces';
import { unsubscribeRoutes } from './unsubscribe';
import { widgetRoutes } from './widget';
import { experimentRoutes } from './experiments';
import { insightsRoutes } from './insights';
import { runsRoutes } from './runs';
import { ingestRoutes } from './ingest';

/**
 * Every router the web app mounts, in order. Add yours here: `(deps) => Router`.
 */
export const routes: Array<(deps: AppDeps) => Router> = [healthRoutes, demoRoutes, ltiRoutes, adminRoutes, runsRoutes, dashboardRoutes, canvasConnectRoutes, bounceRoutes, unsubscribeRoutes, widgetRoutes, experimentRoutes, insightsRoutes, ingestRoutes];
