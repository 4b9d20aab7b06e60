import crypto, { KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';

interface SimKey {
  kid: string;
  privateKey: KeyObject;
  publicJwk: Record<string, string>;
}

/** A platform's rotating RS256 keyset: signs with the newest key and keeps publishing the previous ones. */
export class SimKeys {
  private keys: SimKey[] = [];

  constructor(private readonly label: string, private readonly keep = 2) {
    this.rotate();
  }

  /** Adds a new signing key; the oldest beyond `keep` stops being published. Returns the new kid. */
  rotate(): string {
    const { privateKey, publicKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
    const kid = `${this.label}-${crypto.randomBytes(5).toString('hex')}`;
    const jwk = publicKey.export({ format: 'jwk' }) as Record<string, string>;
    this.keys.unshift({ kid, privateKey, publicJwk: { kty: 'RSA', n: jwk.n, e: jwk.e, kid, alg: 'RS256', use: 'sig' } });
    this.keys = this.keys.slice(0, this.keep);
    return kid;
  }

  /** The kid currently used for signing. */
  get currentKid(): string {
    return this.keys[0].kid;
  }

  /** The published JWKS. */
  jwks(): { keys: Record<string, string>[] } {
    return { keys: this.keys.map((k) => k.publicJwk) };
  }

  /** Signs a payload RS256 with the current key (kid in the header). */
  sign(payload: object): string {
    const key = this.keys[0];
    return jwt.sign(payload, key.privateKey, { algorithm: 'RS256', keyid: key.kid });
  }

  /** The current private key, for tests that forge tokens deliberately. */
  get privateKey(): KeyObject {
    return this.keys[0].privateKey;
  }
}
