import { Router } from 'express';
import { z } from 'zod';
import { registrationInvites } from '../../../../lti/registration/registrationInvites';
import { platformInputSchema, savePlatform } from '../../../../lti/registration/savePlatform';
import { publicBase, toolUrls } from '../../../../lti/toolUrls';
import type { AdminStore } from './AdminStore';
import { NotFoundError } from '../../../errors';
import { AdminUser } from '../../../storage/models/AdminUser';
import { Deployment } from '../../../storage/models/Deployment';
import { Platform, PLATFORM_KINDS } from '../../../storage/models/Platform';
import type { AppDeps } from '../../app';
import { requireAdmin, verifyCsrf } from '../../auth/adminSession';
import { hashPassword } from '../../auth/passwords';
import { credentialsSchema } from './auth';

/** Values pre-filled for each kind of platform (Canvas Cloud endpoints; Open edX and Moodle are per site). */
const PRESETS: Record<string, Record<string, string>> = {
  canvas: {
    name: 'Canvas',
    issuer: 'https://canvas.instructure.com',
    authUrl: 'https://sso.canvaslms.com/api/lti/authorize_redirect',
    tokenUrl: 'https://sso.canvaslms.com/login/oauth2/token',
    jwksUrl: 'https://sso.canvaslms.com/api/lti/security/jwks',
  },
  openedx: { name: 'Open edX' },
  moodle: { name: 'Moodle' },
  other: { name: '' },
};

const objectId = z.string().regex(/^[a-f\d]{24}$/i);

/** Reads the platform form (deployment ids one per line or comma separated). */
function platformForm(body: Record<string, unknown>) {
  const text = (k: string) => (typeof body[k] === 'string' ? (body[k] as string) : '');
  return {
    name: text('name'),
    kind: text('kind') as (typeof PLATFORM_KINDS)[number],
    issuer: text('issuer'),
    clientId: text('clientId'),
    authUrl: text('authUrl'),
    tokenUrl: text('tokenUrl'),
    jwksUrl: text('jwksUrl'),
    tenant: text('tenant') || undefined,
    deploymentIds: text('deploymentIds').split(/[\s,]+/).filter(Boolean),
    registeredVia: (text('registeredVia') === 'openedx_setup' ? 'openedx_setup' : text('registeredVia') === 'canvas_json' ? 'canvas_json' : 'manual') as 'manual' | 'openedx_setup' | 'canvas_json',
  };
}

/**
 * The admin area proper (logged-in admins only): platform list with Keepup's registration URLs, add/edit/
 * enable/disable platforms and deployments, Dynamic Registration URLs (invites), the Open edX setup page,
 * and adding admins. Every POST checks the CSRF token.
 */
export function adminPlatformRoutes(deps: AppDeps, services: AdminStore): Router {
  const router = Router();
  const urlsFor = (req: Parameters<typeof publicBase>[1]) => toolUrls(publicBase(deps.config.PUBLIC_URL, req));

  router.get('/admin', requireAdmin, async (req, res) => {
    const platforms = await Platform.find({}).sort({ issuer: 1, clientId: 1 }).lean();
    const deployments = await Deployment.find({ platformId: { $in: platforms.map((p) => p._id) } }).lean();
    res.render('admin/platforms', {
      title: 'Keepup admin',
      csrf: req.adminSession!.csrf,
      email: req.adminSession!.email,
      urls: urlsFor(req),
      platforms: platforms.map((p) => ({ ...p, id: String(p._id), active: p.status === 'active', deployments: deployments.filter((d) => String(d.platformId) === String(p._id)).map((d) => d.deploymentId) })),
    });
  });

  router.get('/admin/platforms/new', requireAdmin, (req, res) => {
    const kind = PLATFORM_KINDS.includes(req.query.kind as never) ? String(req.query.kind) : 'canvas';
    res.render('admin/platformForm', { title: 'Add a platform', csrf: req.adminSession!.csrf, action: '/admin/platforms', kinds: kindOptions(kind), platform: { kind, ...PRESETS[kind] } });
  });

  router.post('/admin/platforms', requireAdmin, verifyCsrf, async (req, res) => {
    const form = platformForm(req.body);
    const parsed = platformInputSchema.safeParse(form);
    if (!parsed.success) {
      return res.status(400).render('admin/platformForm', { title: 'Add a platform', csrf: req.adminSession!.csrf, action: '/admin/platforms', kinds: kindOptions(form.kind), platform: { ...form, deploymentIds: form.deploymentIds.join('\n') }, error: formError(parsed.error) });
    }
    const platform = await savePlatform(parsed.data);
    services.forgetKeysets();
    res.redirect(303, `/admin/platforms/${platform._id}`);
  });

  router.get('/admin/platforms/:id', requireAdmin, async (req, res) => {
    const platform = await Platform.findById(objectId.parse(req.params.id)).lean();
    if (!platform) throw NotFoundError('No such platform.');
    const deployments = await Deployment.find({ platformId: platform._id }).sort({ deploymentId: 1 }).lean();
    res.render('admin/platformForm', { title: platform.name, csrf: req.adminSession!.csrf, action: `/admin/platforms/${platform._id}`, kinds: kindOptions(platform.kind), platform: { ...platform, id: String(platform._id), active: platform.status === 'active' }, deployments, editing: true });
  });

  router.post('/admin/platforms/:id', requireAdmin, verifyCsrf, async (req, res) => {
    const id = objectId.parse(req.params.id);
    const form = platformForm(req.body);
    const parsed = platformInputSchema.safeParse(form);
    if (!parsed.success) {
      return res.status(400).render('admin/platformForm', { title: 'Edit platform', csrf: req.adminSession!.csrf, action: `/admin/platforms/${id}`, kinds: kindOptions(form.kind), platform: { ...form, id }, editing: true, error: formError(parsed.error) });
    }
    const d = parsed.data;
    const updated = await Platform.findByIdAndUpdate(id, { $set: { name: d.name, kind: d.kind, issuer: d.issuer, clientId: d.clientId, authUrl: d.authUrl, tokenUrl: d.tokenUrl, jwksUrl: d.jwksUrl, tenant: d.tenant || null } }).lean();
    if (!updated) throw NotFoundError('No such platform.');
    for (const deploymentId of d.deploymentIds) await Deployment.updateOne({ platformId: id, deploymentId }, { $set: { status: 'active' } }, { upsert: true });
    services.forgetKeysets();
    res.redirect(303, `/admin/platforms/${id}`);
  });

  router.post('/admin/platforms/:id/status', requireAdmin, verifyCsrf, async (req, res) => {
    const id = objectId.parse(req.params.id);
    const status = z.enum(['active', 'disabled']).parse(req.body.status);
    if (!(await Platform.findByIdAndUpdate(id, { $set: { status } }))) throw NotFoundError('No such platform.');
    res.redirect(303, `/admin/platforms/${id}`);
  });

  router.post('/admin/platforms/:id/deployments/remove', requireAdmin, verifyCsrf, async (req, res) => {
    const id = objectId.parse(req.params.id);
    await Deployment.deleteOne({ platformId: id, deploymentId: z.string().min(1).parse(req.body.deploymentId) });
    res.redirect(303, `/admin/platforms/${id}`);
  });

  router.post('/admin/registration-invites', requireAdmin, verifyCsrf, async (req, res) => {
    const code = await registrationInvites.create(services.redis, services.prefix);
    const urls = urlsFor(req);
    res.render('admin/invite', { title: 'Dynamic Registration URL', registrationUrl: `${urls.register}?invite=${code}` });
  });

  router.get('/admin/openedx', requireAdmin, (req, res) => {
    res.render('admin/openedx', { title: 'Open edX setup', csrf: req.adminSession!.csrf, urls: urlsFor(req) });
  });

  router.post('/admin/admins', requireAdmin, verifyCsrf, async (req, res) => {
    const form = credentialsSchema.safeParse(req.body);
    if (!form.success) return res.status(400).render('admin/message', { title: 'Admin not added', message: form.error.issues[0].message });
    if (await AdminUser.exists({ email: form.data.email })) return res.status(409).render('admin/message', { title: 'Admin not added', message: `${form.data.email} is already an admin.` });
    await AdminUser.create({ email: form.data.email, passwordHash: await hashPassword(form.data.password) });
    res.render('admin/message', { title: 'Admin added', message: `${form.data.email} can now sign in.` });
  });
  return router;
}

/** The kind choices of the platform form with the current one selected. */
function kindOptions(selected: string) {
  return PLATFORM_KINDS.map((value) => ({ value, selected: value === selected }));
}

function formError(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join('.') || 'form'} ${i.message}`).join('; ');
}
