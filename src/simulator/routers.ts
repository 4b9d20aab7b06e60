import type { Router } from 'express';
import { deepLinkingRoutes } from './routes/deepLinking';
import { oidcRoutes } from './routes/oidc';
import { pageRoutes } from './routes/pages';
import { registrationRoutes } from './routes/registration';
import { serviceRoutes } from './routes/services';
import type { Simulator } from './Simulator';
import { canvasConversationRoutes } from './canvasApi/conversations';
import { canvasOAuthRoutes } from './canvasApi/canvasOAuth';
import { platformRestRoutes } from './canvasApi/canvasRestRoutes';

/**
 * Every router the simulator mounts. Add platform REST emulations here (e.g. `src/simulator/canvasApi/`,
 * `src/simulator/openedxApi/`): `(sim) => Router`, mounted in this order after the LTI endpoints.
 */
export const simulatorRouters: Array<(sim: Simulator) => Router> = [oidcRoutes, serviceRoutes, deepLinkingRoutes, registrationRoutes, pageRoutes, canvasConversationRoutes, canvasOAuthRoutes, platformRestRoutes];
