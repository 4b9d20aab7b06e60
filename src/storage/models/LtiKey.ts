import mongoose, { InferSchemaType, Schema, Types } from 'mongoose';

/**
 * One of Keepup's RSA signing keys. `active` keys sign; `retiring` keys are still published at
 * /.well-known/jwks.json until `retireAfter` so platforms holding a cached keyset keep verifying; `retired` keys are gone.
 */
const ltiKeySchema = new Schema(
  {
    kid: { type: String, required: true, unique: true },
    /** PKCS#8 PEM private key sealed with SecretBox (KEEPUP_ENCRYPTION_KEY). */
    privateKey: { type: String, required: true },
    /** Public half as a JWK (kty, n, e). */
    publicJwk: { kty: String, n: String, e: String },
    status: { type: String, enum: ['active', 'retiring', 'retired'], default: 'active' },
    retireAfter: { type: Date, default: null },
  },
  { timestamps: true, collection: 'ltikeys' },
);
ltiKeySchema.index({ status: 1, createdAt: -1 });

export type LtiKeyDoc = InferSchemaType<typeof ltiKeySchema> & { _id: Types.ObjectId; createdAt: Date };
export const LtiKey = mongoose.model('LtiKey', ltiKeySchema);
