import path from 'node:path';
import express, { Router } from 'express';
import { repoRoot } from '../../../../scripts/services/paths';
import type { AppDeps } from '../../app';
import { ltiLaunchRoutes } from './launch';
import { ltiLoginRoutes } from './login';
import { ltiRegistrationRoutes } from './registration';
import { sessionApiRoutes } from './sessionApi';

/** Every LTI route: login, launch, deep linking, registration, keyset, session APIs and the LTI page scripts. */
export function ltiRoutes(deps: AppDeps): Router {
  const router = Router();
  router.use('/lti/static', express.static(path.join(repoRoot(), 'views/lti/static'), { maxAge: '10m' }));
  router.use(ltiLoginRoutes(deps));
  router.use(ltiLaunchRoutes(deps));
  router.use(ltiRegistrationRoutes(deps));
  router.use(sessionApiRoutes(deps));
  return router;
}
