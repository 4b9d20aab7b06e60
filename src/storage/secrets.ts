import crypto from 'node:crypto';

/**
 * Encryption at rest for platform credentials and tokens: AES-256-GCM with a key derived
 * from KEEPUP_ENCRYPTION_KEY. Stored form: `v1:<iv>:<tag>:<ciphertext>` (base64url parts).
 */
export class SecretBox {
  private readonly key: Buffer;

  constructor(secret: string) {
    if (!secret || secret.length < 32) throw new Error('KEEPUP_ENCRYPTION_KEY must be at least 32 characters');
    this.key = crypto.createHash('sha256').update(`keepup-secrets:${secret}`).digest();
  }

  /** Encrypts a UTF-8 string. */
  seal(plain: string): string {
    const iv = crypto.randomBytes(12);
    const cipher = crypto.createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return ['v1', iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), body.toString('base64url')].join(':');
  }

  /** Decrypts what seal produced; throws when it was tampered with or sealed under another key. */
  open(sealed: string): string {
    const [version, iv, tag, body] = sealed.split(':');
    if (version !== 'v1' || !iv || !tag || body === undefined) throw new Error('Not a sealed secret');
    const decipher = crypto.createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
  }
}

let box: SecretBox | undefined;

/** The process-wide SecretBox keyed by KEEPUP_ENCRYPTION_KEY. */
export function secrets(): SecretBox {
  return (box ??= new SecretBox(process.env.KEEPUP_ENCRYPTION_KEY ?? ''));
}
