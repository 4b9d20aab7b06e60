import { LtiKey } from '../../src/storage/models/LtiKey';
import { KeyStore } from '../../lti/keys/KeyStore';
import { useTestDb } from '../support';

describe('KeyStore', () => {
  useTestDb();

  it('creates a key on first use, publishes it, and rotates with a grace period', async () => {
    const store = new KeyStore({ cacheMs: 0 });
    const first = await store.signingKey();
    expect((await store.publicJwks()).keys.map((k) => [k.kid, k.alg, k.use, k.kty])).toEqual([[first.kid, 'RS256', 'sig', 'RSA']]);
    const rotated = await store.rotate(7);
    expect(rotated.retiring).toEqual([first.kid]);
    expect((await store.signingKey()).kid).toBe(rotated.kid);
    expect((await store.publicJwks()).keys.map((k) => k.kid)).toEqual([rotated.kid, first.kid]);
    expect(await store.retireExpired(new Date(Date.now() + 8 * 86_400_000))).toEqual([first.kid]);
    expect((await store.publicJwks()).keys.map((k) => k.kid)).toEqual([rotated.kid]);
    expect((await LtiKey.findOne({ kid: first.kid }).lean())?.status).toBe('retired');
  });

  it('stops publishing a retiring key once its grace period is over, even before it is marked retired', async () => {
    const store = new KeyStore({ cacheMs: 0 });
    const before = (await store.signingKey()).kid;
    const { kid } = await store.rotate(0);
    expect((await store.publicJwks()).keys.map((k) => k.kid)).toEqual([kid]);
    expect(before).not.toBe(kid);
  });

  it('stores private keys sealed, never in clear', async () => {
    const doc = await LtiKey.findOne({}).lean();
    expect(doc?.privateKey.startsWith('v1:')).toBe(true);
    expect(doc?.privateKey).not.toContain('PRIVATE KEY');
  });
});
