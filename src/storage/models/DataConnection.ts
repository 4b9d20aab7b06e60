import crypto from 'node:crypto';
import mongoose, { InferSchemaType, Schema, Types } from 'mongoose';

/**
 * A data connection an admin set up: inbound (xAPI LRS, Caliper, Canvas Live Events: `key` plus a
 * hashed secret for Basic/Bearer credentials, optional JWKS for signed Live Events) or outbound
 * (Canvas REST, Open edX REST: `credentials` sealed with SecretBox). `watermark` is where the next
 * incremental pull starts and `cursor` the page a crashed pull resumes from.
 */
const dataConnectionSchema = new Schema(
  {
    kind: { type: String, enum: ['xapi', 'caliper', 'canvas-live', 'canvas-rest', 'openedx-rest'], required: true },
    name: { type: String, default: '' },
    tenant: { type: String, default: 'local' },
    platform: { type: String, enum: ['openedx', 'canvas', 'moodle', 'kdd'], required: true },
    /** Restricts the connection to one course (`_id`); null accepts any course of the tenant. */
    courseId: { type: Schema.Types.ObjectId, default: null },
    /** Public half of inbound credentials (Basic username). */
    key: { type: String, required: true, unique: true, default: () => `dc_${crypto.randomBytes(9).toString('base64url')}` },
    /** sha256 of the inbound secret. */
    secretHash: { type: String },
    /** Outbound credentials (JSON) sealed with SecretBox. */
    credentials: { type: String },
    settings: {
      baseUrl: { type: String },
      /** Platform course id to pull (Canvas course id, Open edX course key). */
      externalCourseId: { type: String },
      /** JWKS URL (or inline JWKS JSON) that signs Canvas Live Events; when set, unsigned events are refused. */
      jwksUrl: { type: String },
      jwks: { type: String },
      archiveRaw: { type: Boolean, default: false },
    },
    watermark: { type: Schema.Types.Mixed, default: {} },
    cursor: { type: Schema.Types.Mixed, default: null },
    lastRunAt: { type: Date },
    /** When inbound credentials (or a signed Live Event) were last accepted; written at most once a minute (recordInboundUse). */
    lastUsedAt: { type: Date },
    status: { type: String, enum: ['active', 'disabled'], default: 'active' },
  },
  { timestamps: true, collection: 'data_connections', minimize: false },
);

export type DataConnectionDoc = InferSchemaType<typeof dataConnectionSchema> & { _id: Types.ObjectId };
export const DataConnection = mongoose.model('DataConnection', dataConnectionSchema);
