import express, { Router } from 'express';
import cookieParser from 'cookie-parser';
import { z } from 'zod';
import { LaunchError } from '../../../../lti/LaunchError';
import { hashBrowserId } from '../../../../lti/LoginStateStore';
import { publicBase, toolUrls } from '../../../../lti/toolUrls';
import { Platform, PlatformDoc } from '../../../storage/models/Platform';
import type { AppDeps } from '../../app';
import { browserId } from './browserCookie';
import { renderLtiError } from './errorPage';
import { ltiServicesFor } from './ltiServicesFor';

const loginSchema = z.object({
  iss: z.string().min(1),
  login_hint: z.string().min(1),
  target_link_uri: z.string().url(),
  client_id: z.string().min(1).optional(),
  lti_deployment_id: z.string().optional(),
  lti_message_hint: z.string().optional(),
  lti_storage_target: z.string().regex(/^(_parent|[\w-]{1,64})$/).optional(),
});

/**
 * `GET|POST /lti/login`: OIDC third-party initiated login (LTI 1.3 Core §5.1.1). Finds the registration,
 * issues state and nonce, binds them to this browser (cookie, plus platform storage when the platform offers
 * `lti_storage_target`), and sends the browser to the platform's authorization endpoint.
 */
export function ltiLoginRoutes(deps: AppDeps): Router {
  const router = Router();
  const handle = async (req: express.Request, res: express.Response) => {
    try {
      const parsed = loginSchema.safeParse({ ...req.query, ...(req.body ?? {}) });
      if (!parsed.success) {
        throw new LaunchError('missing_parameters', 'The login request is missing iss, login_hint or target_link_uri.', `The platform must send the OIDC login parameters (${parsed.error.issues.map((i) => i.path.join('.')).join(', ')}).`, 400);
      }
      const params = parsed.data;
      const urls = toolUrls(publicBase(deps.config.PUBLIC_URL, req));
      if (new URL(params.target_link_uri).origin !== new URL(urls.base).origin) {
        throw new LaunchError('foreign_target_link_uri', 'The login names a target outside Keepup.', `target_link_uri must start with ${urls.base}; check the launch URL configured on the platform.`, 400);
      }
      const platform = await findRegistration(params.iss, params.client_id);
      const services = ltiServicesFor(deps);
      const platformOrigin = new URL(platform.authUrl).origin;
      const { state, nonce } = await services.logins.create({
        platformId: String(platform._id),
        iss: platform.issuer,
        clientId: platform.clientId,
        browserHash: hashBrowserId(browserId(req, res)),
        storageTarget: params.lti_storage_target,
        platformOrigin,
      });
      const auth = new URL(platform.authUrl);
      const query: Record<string, string> = {
        scope: 'openid',
        response_type: 'id_token',
        response_mode: 'form_post',
        prompt: 'none',
        client_id: platform.clientId,
        redirect_uri: urls.launch,
        login_hint: params.login_hint,
        state,
        nonce,
      };
      if (params.lti_message_hint) query.lti_message_hint = params.lti_message_hint;
      for (const [k, v] of Object.entries(query)) auth.searchParams.set(k, v);
      res.setHeader('cache-control', 'no-store');
      if (params.lti_storage_target) {
        res.render('lti/storageLogin', { title: 'Opening Keepup', authUrl: auth.toString(), target: params.lti_storage_target, platformOrigin, state, nonce });
        return;
      }
      res.redirect(302, auth.toString());
    } catch (error) {
      renderLtiError(req, res, error);
    }
  };
  router.get('/lti/login', cookieParser(), handle);
  router.post('/lti/login', cookieParser(), express.urlencoded({ extended: false, limit: '16kb' }), handle);
  return router;
}

async function findRegistration(iss: string, clientId: string | undefined): Promise<PlatformDoc> {
  const platforms = await Platform.find({ issuer: iss, ...(clientId ? { clientId } : {}) }).limit(2).lean<PlatformDoc[]>();
  if (!platforms.length) {
    throw new LaunchError('unknown_platform', 'This platform is not registered with Keepup.', `No registration for issuer ${iss}${clientId ? ` and client id ${clientId}` : ''}. Register it in the Keepup admin area.`, 403);
  }
  if (platforms.length > 1) {
    throw new LaunchError('ambiguous_platform', 'Several registrations share this issuer and the login did not say which one.', `The platform must send client_id in the login request (issuer ${iss} has several client ids).`, 400);
  }
  const platform = platforms[0];
  if (platform.status !== 'active') {
    throw new LaunchError('platform_disabled', 'This platform registration is disabled.', `An admin disabled ${platform.name} (${iss}, client ${platform.clientId}) in Keepup; enable it in the admin area.`, 403);
  }
  return platform;
}
