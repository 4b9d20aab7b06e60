import crypto from 'node:crypto';
import express, { Router } from 'express';
import cookieParser from 'cookie-parser';
import rateLimit from 'express-rate-limit';
import { z } from 'zod';
import { deepLinkingResponse, DEEP_LINK_ITEMS, DeepLinkItemKey } from '../../../../lti/deepLinking';
import { LaunchError } from '../../../../lti/LaunchError';
import { startSession } from '../../../../lti/launchSession';
import { validateLaunch, ValidatedLaunch, BrowserBinding } from '../../../../lti/launchValidator';
import { customValue } from '../../../../lti/identityMapper';
import { SESSION_TTL_SECONDS } from '../../../../lti/sessionToken';
import { publicBase, toolUrls } from '../../../../lti/toolUrls';
import { optionalClaims } from '../../../../lti/claims';
import { Platform, PlatformDoc } from '../../../storage/models/Platform';
import { AuthorizationError, NotFoundError } from '../../../errors';
import type { AppDeps } from '../../app';
import { requireSession } from '../../auth/requireSession';
import { BROWSER_COOKIE } from './browserCookie';
import { renderLtiError } from './errorPage';
import { sessionElement } from './sessionElement';
import { ltiServicesFor } from './ltiServicesFor';

/** How long an instructor has to pick a Deep Linking item, seconds. */
const DEEP_LINK_TTL_SECONDS = SESSION_TTL_SECONDS;

/** Template data that tells `session.js` how this page's token is tied to the browser. */
function sessionView(token: string, role: string, binding: BrowserBinding) {
  const verify =
    binding.kind === 'cookie'
      ? { verify: 'cookie' }
      : { verify: 'platform-storage', storageTarget: binding.storageTarget, platformOrigin: binding.platformOrigin, state: binding.state, nonce: binding.nonce };
  return { role, sessionElement: sessionElement({ token, role, expiresIn: SESSION_TTL_SECONDS, ...verify }) };
}

const pendingDeepLinkSchema = z.object({ platformId: z.string(), deploymentId: z.string(), userSub: z.string(), settings: optionalClaims.deepLinkingSettings });

/**
 * `POST /lti/launch`: the OIDC redirect URI. Validates the launch, then: resource links → instructor dashboard
 * or learner widget page carrying a short-lived session token; deep linking requests → the item picker, whose
 * `POST /lti/deep-linking/response` returns the signed response for the browser to post back.
 */
export function ltiLaunchRoutes(deps: AppDeps): Router {
  const router = Router();
  const limiter = rateLimit({ windowMs: 60_000, limit: 600, standardHeaders: 'draft-7', legacyHeaders: false });
  router.post('/lti/launch', limiter, cookieParser(), express.urlencoded({ extended: false, limit: '64kb' }), async (req, res) => {
    try {
      const services = ltiServicesFor(deps);
      const launch = await validateLaunch({ idToken: req.body?.id_token, state: req.body?.state, browserId: req.cookies?.[BROWSER_COOKIE] }, services);
      res.setHeader('cache-control', 'no-store');
      res.setHeader('referrer-policy', 'no-referrer');
      if (launch.messageType === 'LtiDeepLinkingRequest') return await renderDeepLinkPicker(deps, launch, res);
      const started = await startSession(launch, services.sessionSecret);
      const view = {
        title: started.course.title || 'Keepup',
        courseTitle: started.course.title || started.session.contextId,
        ...sessionView(started.token, started.session.role, launch.binding),
      };
      if (started.session.role === 'instructor') return res.render('lti/instructor', view);
      res.render('lti/learner', { ...view, placement: placementOf(launch) });
    } catch (error) {
      renderLtiError(req, res, error);
    }
  });

  router.post('/lti/deep-linking/response', express.json({ limit: '8kb' }), requireSession({ roles: ['instructor'], secret: deps.config.KEEPUP_SESSION_SECRET }), async (req, res, next) => {
    try {
      const body = z.object({ request: z.string().regex(/^[\w-]{16,64}$/), items: z.array(z.enum(Object.keys(DEEP_LINK_ITEMS) as [DeepLinkItemKey, ...DeepLinkItemKey[]])).min(1).max(2) }).parse(req.body);
      const services = ltiServicesFor(deps);
      const raw = await services.redis.getdel(`${services.prefix}:lti:dl:${body.request}`);
      if (!raw) throw NotFoundError('This Deep Linking request is unknown or was already answered; open the selection again from the course.');
      const pending = pendingDeepLinkSchema.parse(JSON.parse(raw));
      const session = req.session!;
      if (pending.platformId !== session.platformId || pending.userSub !== session.userSub || pending.deploymentId !== session.deploymentId) {
        throw AuthorizationError('This Deep Linking request belongs to another launch.');
      }
      const platform = await Platform.findById(pending.platformId).lean<PlatformDoc>();
      if (!platform || platform.status !== 'active') throw NotFoundError('The platform of this Deep Linking request is no longer registered.');
      const urls = toolUrls(publicBase(deps.config.PUBLIC_URL, req));
      res.json(await deepLinkingResponse({ platform, deploymentId: pending.deploymentId, settings: pending.settings, items: body.items, launchUrl: urls.launch, keys: services.keys }));
    } catch (error) {
      next(error);
    }
  });
  return router;
}

async function renderDeepLinkPicker(deps: AppDeps, launch: ValidatedLaunch, res: express.Response): Promise<void> {
  if (launch.role !== 'instructor') {
    throw new LaunchError('not_instructor', 'Only instructors can add Keepup items to a course.', 'Deep Linking launches are accepted from instructors, TAs, content developers and administrators.', 403);
  }
  const services = ltiServicesFor(deps);
  const started = await startSession(launch, services.sessionSecret);
  const request = crypto.randomBytes(18).toString('base64url');
  const pending: z.infer<typeof pendingDeepLinkSchema> = { platformId: String(launch.platform._id), deploymentId: launch.deploymentId, userSub: launch.sub, settings: launch.deepLinking! };
  await services.redis.set(`${services.prefix}:lti:dl:${request}`, JSON.stringify(pending), 'EX', DEEP_LINK_TTL_SECONDS);
  res.render('lti/deepLink', {
    title: 'Add Keepup to your course',
    courseTitle: started.course.title || started.session.contextId,
    ...sessionView(started.token, 'instructor', launch.binding),
    request,
    multiple: launch.deepLinking!.accept_multiple !== false,
    items: Object.entries(DEEP_LINK_ITEMS).map(([key, item]) => ({ key, title: item.title, text: item.text })),
  });
}

/** Which widget variant a learner launch asks for: `keepup_placement` from Deep Linking, else the standalone widget. */
function placementOf(launch: ValidatedLaunch): string {
  const placement = customValue(launch.custom, 'keepup_placement');
  return placement === 'video' ? 'video' : 'widget';
}
