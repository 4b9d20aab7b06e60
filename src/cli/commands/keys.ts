import type { Command } from 'commander';
import { loadConfig } from '../../config';
import { connectMongo, disconnectMongo } from '../../storage/mongo';
import { DEFAULT_GRACE_DAYS, KeyStore } from '../../../lti/keys/KeyStore';

/** `keepup keys list|rotate|retire`: Keepup's LTI signing keys (published at /.well-known/jwks.json). */
export function register(program: Command): void {
  const keys = program.command('keys').description("manage Keepup's LTI signing keys");
  const withStore = async (run: (store: KeyStore) => Promise<void>) => {
    await connectMongo(loadConfig().MONGODB_URI, { attempts: 3 });
    try {
      await run(new KeyStore());
    } finally {
      await disconnectMongo();
    }
  };
  keys
    .command('list')
    .description('list keys with their status')
    .action(() =>
      withStore(async (store) => {
        for (const k of await store.list()) process.stdout.write(`${k.kid}\t${k.status}\tcreated ${k.createdAt.toISOString()}${k.retireAfter ? `\tpublished until ${k.retireAfter.toISOString()}` : ''}\n`);
      }),
    );
  keys
    .command('rotate')
    .description('add a new signing key; the previous one stays published for the grace period, then is retired')
    .option('--grace-days <days>', 'days the old key stays in the keyset', String(DEFAULT_GRACE_DAYS))
    .action((options: { graceDays: string }) =>
      withStore(async (store) => {
        const days = Number(options.graceDays);
        if (!Number.isFinite(days) || days < 0) throw new Error('--grace-days must be a number of days, 0 or more');
        const result = await store.rotate(days);
        process.stdout.write(`new signing key ${result.kid}\n`);
        for (const kid of result.retiring) process.stdout.write(`still published for ${days} days: ${kid}\n`);
        for (const kid of result.retired) process.stdout.write(`retired: ${kid}\n`);
      }),
    );
  keys
    .command('retire')
    .description('retire keys whose grace period is over')
    .action(() =>
      withStore(async (store) => {
        const retired = await store.retireExpired();
        process.stdout.write(retired.length ? retired.map((k) => `retired: ${k}\n`).join('') : 'nothing to retire\n');
      }),
    );
}
