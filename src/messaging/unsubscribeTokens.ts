import crypto from 'node:crypto';
import { Types } from 'mongoose';

/**
 * Opaque unsubscribe tokens: the learner's 12-byte id and a 16-byte HMAC, base64url. They carry no personal
 * data, cannot be forged or enumerated, and need no storage; the preference page resolves them to a learner.
 */
export class UnsubscribeTokens {
  private readonly key: Buffer;

  constructor(secret: string) {
    if (!secret || secret.length < 32) throw new Error('Unsubscribe tokens need a secret of at least 32 characters');
    this.key = crypto.createHash('sha256').update(`keepup-unsubscribe:${secret}`).digest();
  }

  /** The token for a learner. */
  sign(learnerId: Types.ObjectId | string): string {
    const id = Buffer.from(String(learnerId), 'hex');
    return Buffer.concat([id, this.mac(id)]).toString('base64url');
  }

  /** The learner id a token names, or undefined when it is malformed or forged. */
  verify(token: string): Types.ObjectId | undefined {
    if (!/^[\w-]{37,38}$/.test(token)) return undefined;
    const raw = Buffer.from(token, 'base64url');
    if (raw.length !== 28) return undefined;
    const id = raw.subarray(0, 12);
    const expected = this.mac(id);
    if (!crypto.timingSafeEqual(raw.subarray(12), expected)) return undefined;
    return new Types.ObjectId(id.toString('hex'));
  }

  private mac(id: Buffer): Buffer {
    return crypto.createHmac('sha256', this.key).update(id).digest().subarray(0, 16);
  }
}

let shared: UnsubscribeTokens | undefined;

/** Process-wide tokens keyed by KEEPUP_SESSION_SECRET (falls back to KEEPUP_ENCRYPTION_KEY). */
export function unsubscribeTokens(): UnsubscribeTokens {
  return (shared ??= new UnsubscribeTokens(process.env.KEEPUP_SESSION_SECRET ?? process.env.KEEPUP_ENCRYPTION_KEY ?? ''));
}
