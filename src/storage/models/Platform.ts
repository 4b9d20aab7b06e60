import mongoose, { InferSchemaType, Schema, Types } from 'mongoose';

export const PLATFORM_KINDS = ['canvas', 'openedx', 'moodle', 'other'] as const;
export type PlatformKind = (typeof PLATFORM_KINDS)[number];

/**
 * One LTI 1.3 registration: a (issuer, client id) pair with the platform's OIDC, token and keyset URLs.
 * Several client ids may share an issuer (every Open edX LTI component is its own client).
 */
const platformSchema = new Schema(
  {
    name: { type: String, required: true },
    kind: { type: String, enum: PLATFORM_KINDS, required: true },
    issuer: { type: String, required: true },
    clientId: { type: String, required: true },
    /** OIDC authorization endpoint (where the login redirects). */
    authUrl: { type: String, required: true },
    /** OAuth2 token endpoint for LTI Advantage services. */
    tokenUrl: { type: String, required: true },
    /** Audience of our client assertion when it differs from tokenUrl (OpenID `authorization_server`). */
    authServer: { type: String, default: null },
    jwksUrl: { type: String, required: true },
    /** Tenant key for courses from this platform; defaults to the issuer (override for shared issuers such as Canvas Cloud). */
    tenant: { type: String, default: null },
    status: { type: String, enum: ['active', 'disabled'], default: 'active' },
    registeredVia: { type: String, enum: ['manual', 'dynamic', 'canvas_json', 'openedx_setup', 'demo'], default: 'manual' },
  },
  { timestamps: true, collection: 'platforms' },
);
platformSchema.index({ issuer: 1, clientId: 1 }, { unique: true });

export type PlatformDoc = InferSchemaType<typeof platformSchema> & { _id: Types.ObjectId };
export const Platform = mongoose.model('Platform', platformSchema);

/** The tenant courses of this platform are keyed by. */
export function platformTenant(platform: Pick<PlatformDoc, 'tenant' | 'issuer'>): string {
  return platform.tenant || platform.issuer;
}
