import { Router } from 'express';
import rateLimit from 'express-rate-limit';
import { z } from 'zod';
import { AdminUser } from '../../../storage/models/AdminUser';
import { consumeBootstrapToken } from '../../auth/adminBootstrap';
import { endAdminSession, startAdminSession, verifyCsrf } from '../../auth/adminSession';
import { hashPassword, verifyPassword } from '../../auth/passwords';
import type { AdminStore } from './AdminStore';

export const credentialsSchema = z.object({
  email: z.string().trim().toLowerCase().email('Enter a valid email address.'),
  password: z.string().min(12, 'Use a password of at least 12 characters.').max(200),
});

/** `/admin/setup` (first admin, with the bootstrap token), `/admin/login`, `/admin/logout`. */
export function adminAuthRoutes(services: AdminStore): Router {
  const router = Router();
  const limiter = rateLimit({ windowMs: 15 * 60_000, limit: 30, standardHeaders: 'draft-7', legacyHeaders: false });

  router.get('/admin/setup', async (req, res) => {
    if (await AdminUser.exists({})) return res.redirect(303, '/admin/login');
    res.render('admin/setup', { title: 'Set up Keepup', csrf: req.adminSession!.csrf });
  });
  router.post('/admin/setup', limiter, verifyCsrf, async (req, res) => {
    const form = credentialsSchema.extend({ token: z.string().trim().min(1, 'Enter the bootstrap token from the server log.') }).safeParse(req.body);
    const again = (status: number, error: string) => res.status(status).render('admin/setup', { title: 'Set up Keepup', csrf: req.adminSession!.csrf, error, email: req.body?.email });
    if (!form.success) return again(400, form.error.issues[0].message);
    if (!(await consumeBootstrapToken(form.data.token))) return again(403, 'That bootstrap token is not valid (it is printed in the server log at start-up, and works once, before any admin exists).');
    const admin = await AdminUser.create({ email: form.data.email, passwordHash: await hashPassword(form.data.password), lastLoginAt: new Date() });
    await startAdminSession(services.redis, services.prefix, res, req, { adminId: String(admin._id), email: admin.email });
    res.redirect(303, '/admin');
  });

  router.get('/admin/login', (req, res) => {
    res.render('admin/login', { title: 'Sign in', csrf: req.adminSession!.csrf });
  });
  router.post('/admin/login', limiter, verifyCsrf, async (req, res) => {
    const form = credentialsSchema.pick({ email: true }).extend({ password: z.string().min(1) }).safeParse(req.body);
    const admin = form.success ? await AdminUser.findOne({ email: form.data.email, disabled: false }) : null;
    if (!form.success || !admin || !(await verifyPassword(form.data.password, admin.passwordHash))) {
      return res.status(401).render('admin/login', { title: 'Sign in', csrf: req.adminSession!.csrf, error: 'Email or password is wrong.', email: req.body?.email });
    }
    admin.lastLoginAt = new Date();
    await admin.save();
    await startAdminSession(services.redis, services.prefix, res, req, { adminId: String(admin._id), email: admin.email });
    res.redirect(303, '/admin');
  });

  router.post('/admin/logout', verifyCsrf, async (req, res) => {
    await endAdminSession(services.redis, services.prefix, req, res);
    res.redirect(303, '/admin/login');
  });
  return router;
}
