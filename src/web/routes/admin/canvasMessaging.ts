import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { publicBase } from '../../../../lti/toolUrls';
import { saveCanvasApiKey } from '../../../messaging/canvasAuth/canvasApiKeys';
import { CANVAS_CONVERSATIONS_SCOPE } from '../../../messaging/canvasAuth/canvasTokenEndpoint';
import { CanvasApiKey } from '../../../storage/models/CanvasApiKey';
import { Platform, platformTenant } from '../../../storage/models/Platform';
import type { AppDeps } from '../../app';
import { requireAdmin, verifyCsrf } from '../../auth/adminSession';
import { formProblems } from './connectionSchemas';

const apiKeySchema = z.object({
  tenant: z.string().min(1).max(300),
  apiBase: z.string().url().regex(/^https?:\/\//, 'must be an http(s) URL'),
  clientId: z.string().trim().min(1).max(100),
  clientSecret: z.string().min(8).max(500),
});

/**
 * `/admin/canvas-messaging`: the Canvas API developer key per Canvas (tenant) through which instructors
 * connect Canvas Inbox sends, with the redirect URI and scope to enter in Canvas. Secrets are sealed and never shown.
 */
export function adminCanvasMessagingRoutes(deps: AppDeps): Router {
  const router = Router();
  const render = async (req: Request, res: Response, extra: Record<string, unknown> = {}) => {
    const [keys, platforms] = await Promise.all([CanvasApiKey.find({}).sort({ tenant: 1 }).lean(), Platform.find({ kind: 'canvas' }).lean()]);
    const tenants = [...new Set(platforms.map((p) => platformTenant(p)))];
    res.render('admin/canvasMessaging', {
      title: 'Canvas messaging',
      csrf: req.adminSession!.csrf,
      redirectUri: `${publicBase(deps.config.PUBLIC_URL, req).replace(/\/+$/, '')}/canvas/oauth/callback`,
      scope: CANVAS_CONVERSATIONS_SCOPE,
      keys: keys.map((k) => ({ tenant: k.tenant, apiBase: k.apiBase, clientId: k.clientId, updated: k.updatedAt?.toISOString().slice(0, 16).replace('T', ' ') })),
      tenants,
      ...extra,
    });
  };

  router.get('/admin/canvas-messaging', requireAdmin, (req, res) => render(req, res));

  router.post('/admin/canvas-messaging', requireAdmin, verifyCsrf, async (req, res) => {
    const form = apiKeySchema.safeParse(req.body);
    if (!form.success) {
      res.status(400);
      const { clientSecret: _secret, ...safe } = req.body ?? {};
      return render(req, res, { error: formProblems(form.error), form: safe });
    }
    await saveCanvasApiKey(form.data);
    res.redirect(303, '/admin/canvas-messaging');
  });
  return router;
}
