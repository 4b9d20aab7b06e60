import crypto from 'node:crypto';
import { log } from '../../log';
import { AdminUser } from '../../storage/models/AdminUser';
import { hashPassword } from './passwords';

/** Email of the admin account `npm run demo` creates. */
export const DEMO_ADMIN_EMAIL = 'admin@demo.localhost';

/** Sign-in of the demo's admin account. */
export interface DemoAdminCredentials {
  email: string;
  password: string;
}

/** A fresh random password for one demo run (24 URL-safe characters, above the 12-character minimum). */
export function generateDemoAdminPassword(): string {
  return crypto.randomBytes(18).toString('base64url');
}

/**
 * The demo admin's sign-in, only in demo mode (KEEPUP_DEMO=1) with a password handed over in
 * KEEPUP_DEMO_ADMIN_PASSWORD by `npm run demo`; undefined otherwise, so no other installation has one.
 */
export function demoAdminCredentials(env: NodeJS.ProcessEnv = process.env): DemoAdminCredentials | undefined {
  const password = env.KEEPUP_DEMO_ADMIN_PASSWORD;
  if (env.KEEPUP_DEMO !== '1' || !password) return undefined;
  if (password.length < 12) throw new Error('KEEPUP_DEMO_ADMIN_PASSWORD must have at least 12 characters');
  return { email: DEMO_ADMIN_EMAIL, password };
}

/**
 * In demo mode, creates the demo admin account or resets its password to this run's (enabled again), so an
 * admin can sign in from the demo page; does nothing outside demo mode. Returns the credentials it set.
 */
export async function ensureDemoAdmin(env: NodeJS.ProcessEnv = process.env): Promise<DemoAdminCredentials | undefined> {
  const credentials = demoAdminCredentials(env);
  if (!credentials) return undefined;
  await AdminUser.updateOne(
    { email: credentials.email },
    { $set: { passwordHash: await hashPassword(credentials.password), disabled: false }, $setOnInsert: { email: credentials.email } },
    { upsert: true },
  );
  log.info({ email: credentials.email }, 'demo admin account ready (its password is on the demo page)');
  return credentials;
}
