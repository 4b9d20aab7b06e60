import crypto from 'node:crypto';
import type { Config } from '../../config';
import { log } from '../../log';
import { AdminBootstrap } from '../../storage/models/AdminBootstrap';
import { AdminUser } from '../../storage/models/AdminUser';
import { sha256 } from './passwords';

/**
 * First-run bootstrap: while no admin account exists, each start-up issues a fresh one-time token (only its
 * hash is stored), logs it once with the setup URL, and returns it. Returns undefined once an admin exists.
 */
export async function ensureAdminBootstrap(config: Pick<Config, 'PUBLIC_URL' | 'PORT'>): Promise<string | undefined> {
  if (await AdminUser.exists({})) return undefined;
  const token = crypto.randomBytes(24).toString('base64url');
  await AdminBootstrap.updateOne({ _id: 'bootstrap' }, { $set: { tokenHash: sha256(token), usedAt: null } }, { upsert: true });
  const setupUrl = `${config.PUBLIC_URL ?? `http://localhost:${config.PORT}`}/admin/setup`;
  log.warn({ setupUrl, bootstrapToken: token }, `No Keepup admin exists yet. Open ${setupUrl} and enter the bootstrap token ${token} to create the first admin account.`);
  return token;
}

/** Uses the bootstrap token once (atomic); true when it matched an unused token and no admin exists yet. */
export async function consumeBootstrapToken(token: string): Promise<boolean> {
  if (!token || (await AdminUser.exists({}))) return false;
  const used = await AdminBootstrap.findOneAndUpdate({ _id: 'bootstrap', tokenHash: sha256(token), usedAt: null }, { $set: { usedAt: new Date() } });
  return Boolean(used);
}
