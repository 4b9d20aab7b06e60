import crypto from 'node:crypto';
import { Types } from 'mongoose';

/**
 * VERP return paths (`bounce+<outboxId>.<mac>@<domain>`): each email's envelope sender names its outbox row, so a
 * bounce that arrives days later says which delivery failed without trusting anything in the bounce's text.
 * The 16-hex-digit HMAC stops forged bounces from marking other deliveries; lowercase only, because mail
 * systems may change the case of a local part.
 */
export class BounceAddresses {
  private readonly key: Buffer;

  constructor(secret: string) {
    if (!secret || secret.length < 32) throw new Error('Bounce addresses need a secret of at least 32 characters');
    this.key = crypto.createHash('sha256').update(`keepup-bounce:${secret}`).digest();
  }

  /** The return path of an outbox row's email. */
  addressFor(outboxId: Types.ObjectId | string, domain: string): string {
    const id = String(outboxId).toLowerCase();
    return `bounce+${id}.${this.mac(id)}@${domain}`;
  }

  /** The outbox row a (possibly case-changed) return path names, or undefined when it is not one of ours or forged. */
  verify(address: string): Types.ObjectId | undefined {
    const match = /^<?bounce\+([a-f0-9]{24})\.([a-f0-9]{16})@[^@\s>]+>?$/.exec(address.trim().toLowerCase());
    if (!match) return undefined;
    const expected = Buffer.from(this.mac(match[1]));
    if (!crypto.timingSafeEqual(Buffer.from(match[2]), expected)) return undefined;
    return new Types.ObjectId(match[1]);
  }

  private mac(id: string): string {
    return crypto.createHmac('sha256', this.key).update(id).digest('hex').slice(0, 16);
  }
}

let shared: BounceAddresses | undefined;

/** Process-wide bounce addresses keyed by KEEPUP_SESSION_SECRET (falls back to KEEPUP_ENCRYPTION_KEY). */
export function bounceAddresses(): BounceAddresses {
  return (shared ??= new BounceAddresses(process.env.KEEPUP_SESSION_SECRET ?? process.env.KEEPUP_ENCRYPTION_KEY ?? ''));
}
