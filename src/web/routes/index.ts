import type { Router } from 'express';
import type { AppDeps } from '../app';
import { demoRoutes } from './demo';
import { healthRoutes } from './health';
import { ltiRoutes } from './lti';
import { adminRoutes } from './admin';

/**
 * Every router the web app mounts, in order. Add yours here: `(deps) => Router`.
 */
export const routes: Array<(deps: AppDeps) => Router> = [healthRoutes, demoRoutes, ltiRoutes, adminRoutes];
