import { Router } from 'express';
import { z } from 'zod';
import { canvasJsonConfig } from '../../../../lti/registration/canvasConfig';
import { registerDynamically, RegistrationError } from '../../../../lti/registration/dynamicRegistration';
import { registrationInvites } from '../../../../lti/registration/registrationInvites';
import { publicBase, toolUrls } from '../../../../lti/toolUrls';
import { log } from '../../../log';
import type { AppDeps } from '../../app';
import { renderLtiError } from './errorPage';
import { ltiServicesFor } from './ltiServicesFor';

/**
 * Registration endpoints: our keyset (`/.well-known/jwks.json`), the Canvas JSON configuration
 * (`/lti/config/canvas.json`) and LTI Dynamic Registration (`/lti/register?invite=…`, opened by the platform
 * with `openid_configuration` and `registration_token`; ends by posting `org.imsglobal.lti.close`).
 */
export function ltiRegistrationRoutes(deps: AppDeps): Router {
  const router = Router();
  router.get('/.well-known/jwks.json', async (_req, res, next) => {
    try {
      const jwks = await ltiServicesFor(deps).keys.publicJwks();
      res.setHeader('cache-control', 'public, max-age=300');
      res.json(jwks);
    } catch (error) {
      next(error);
    }
  });

  router.get('/lti/config/canvas.json', (req, res) => {
    res.json(canvasJsonConfig(toolUrls(publicBase(deps.config.PUBLIC_URL, req))));
  });

  router.get('/lti/register', async (req, res) => {
    try {
      const services = ltiServicesFor(deps);
      const query = z.object({ invite: z.string().optional(), openid_configuration: z.string().optional(), registration_token: z.string().optional() }).parse(req.query);
      if (!query.openid_configuration) throw new RegistrationError('This is Keepup\'s Dynamic Registration URL: paste it into the platform\'s "register an LTI tool by URL" form; the platform adds openid_configuration when it opens it.');
      if (!query.invite || !(await registrationInvites.isValid(services.redis, services.prefix, query.invite))) {
        throw new RegistrationError('This registration link is missing its invite code, has expired or was already used. Create a new Dynamic Registration URL in the Keepup admin area.');
      }
      const { platform, deploymentId } = await registerDynamically({
        openidConfigurationUrl: query.openid_configuration,
        registrationToken: query.registration_token,
        urls: toolUrls(publicBase(deps.config.PUBLIC_URL, req)),
      });
      await registrationInvites.consume(services.redis, services.prefix, query.invite);
      log.info({ issuer: platform.issuer, clientId: platform.clientId, deploymentId }, 'platform registered by Dynamic Registration');
      res.render('lti/registered', { title: 'Keepup registered', name: platform.name, issuer: platform.issuer, clientId: platform.clientId, deploymentId });
    } catch (error) {
      renderLtiError(req, res, error);
    }
  });
  return router;
}
