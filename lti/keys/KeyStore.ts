import crypto, { KeyObject } from 'node:crypto';
import { LtiKey } from '../../src/storage/models/LtiKey';
import { secrets } from '../../src/storage/secrets';

/** A public key as published in a JWKS. */
export interface PublicJwk {
  kty: 'RSA';
  kid: string;
  use: 'sig';
  alg: 'RS256';
  n: string;
  e: string;
}

/** The key Keepup signs with right now. */
export interface SigningKey {
  kid: string;
  privateKey: KeyObject;
}

export interface KeyStoreOptions {
  /** How long a signing key is cached in memory, ms. Default 60 000 (a rotation reaches every process within a minute). */
  cacheMs?: number;
}

/** Default grace period during which a rotated-out key stays published. */
export const DEFAULT_GRACE_DAYS = 7;

/**
 * Keepup's own RSA keys (LtiKey collection): signs client assertions and Deep Linking responses, publishes
 * the keyset, rotates with a grace period. The first key is created on first use.
 */
export class KeyStore {
  private cached?: { key: SigningKey; until: number };

  constructor(private readonly options: KeyStoreOptions = {}) {}

  /** The newest active key, created when none exists. */
  async signingKey(): Promise<SigningKey> {
    if (this.cached && this.cached.until > Date.now()) return this.cached.key;
    let doc = await LtiKey.findOne({ status: 'active' }).sort({ createdAt: -1 }).lean();
    if (!doc) {
      await this.createKey();
      doc = await LtiKey.findOne({ status: 'active' }).sort({ createdAt: -1 }).lean();
    }
    if (!doc) throw new Error('No active LTI signing key could be created');
    const key = { kid: doc.kid, privateKey: crypto.createPrivateKey(secrets().open(doc.privateKey)) };
    this.cached = { key, until: Date.now() + (this.options.cacheMs ?? 60_000) };
    return key;
  }

  /** Public keys to publish: active keys and retiring keys still inside their grace period. */
  async publicJwks(): Promise<{ keys: PublicJwk[] }> {
    await this.signingKey();
    const now = new Date();
    const docs = await LtiKey.find({ status: { $in: ['active', 'retiring'] } }).sort({ createdAt: -1 }).lean();
    const keys = docs
      .filter((d) => d.status === 'active' || (d.retireAfter && d.retireAfter > now))
      .map((d) => ({ kty: 'RSA' as const, kid: d.kid, use: 'sig' as const, alg: 'RS256' as const, n: d.publicJwk!.n!, e: d.publicJwk!.e! }));
    return { keys };
  }

  /**
   * Adds a new active key and moves the current active keys to `retiring`, still published for `graceDays`.
   * Also retires keys whose grace period is over. Returns the new kid.
   */
  async rotate(graceDays = DEFAULT_GRACE_DAYS): Promise<{ kid: string; retiring: string[]; retired: string[] }> {
    const previous = await LtiKey.find({ status: 'active' }).lean();
    const kid = await this.createKey();
    const retireAfter = new Date(Date.now() + graceDays * 86_400_000);
    await LtiKey.updateMany({ kid: { $in: previous.map((p) => p.kid) } }, { $set: { status: 'retiring', retireAfter } });
    const retired = await this.retireExpired();
    this.cached = undefined;
    return { kid, retiring: previous.map((p) => p.kid), retired };
  }

  /** Marks retiring keys past their grace period as retired; returns their kids. */
  async retireExpired(now = new Date()): Promise<string[]> {
    const expired = await LtiKey.find({ status: 'retiring', retireAfter: { $lte: now } }).lean();
    if (expired.length) await LtiKey.updateMany({ kid: { $in: expired.map((e) => e.kid) } }, { $set: { status: 'retired' } });
    return expired.map((e) => e.kid);
  }

  /** Every key with its status, newest first (for `keepup keys list`). */
  async list(): Promise<Array<{ kid: string; status: string; createdAt: Date; retireAfter: Date | null }>> {
    const docs = await LtiKey.find({}).sort({ createdAt: -1 }).lean();
    return docs.map((d) => ({ kid: d.kid, status: d.status, createdAt: (d as { createdAt: Date }).createdAt, retireAfter: d.retireAfter ?? null }));
  }

  private async createKey(): Promise<string> {
    const { privateKey, publicKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
    const jwk = publicKey.export({ format: 'jwk' }) as { n: string; e: string };
    const kid = `k-${new Date().toISOString().slice(0, 10)}-${crypto.randomBytes(6).toString('hex')}`;
    const pem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    await LtiKey.create({ kid, privateKey: secrets().seal(pem), publicJwk: { kty: 'RSA', n: jwk.n, e: jwk.e }, status: 'active' });
    return kid;
  }
}
