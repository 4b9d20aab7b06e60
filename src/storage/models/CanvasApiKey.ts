import mongoose, { InferSchemaType, Schema, Types } from 'mongoose';

/**
 * A Canvas API developer key (Admin → Developer Keys → + API Key) through which instructors grant Keepup
 * a user token for sending Inbox messages, one per Canvas tenant (the LTI issuer courses are keyed by).
 * The secret is sealed with SecretBox.
 */
const canvasApiKeySchema = new Schema(
  {
    tenant: { type: String, required: true },
    /** Canvas base URL, e.g. `https://school.instructure.com` (auth, token and API endpoints hang off it). */
    apiBase: { type: String, required: true },
    clientId: { type: String, required: true },
    sealedSecret: { type: String, required: true },
  },
  { timestamps: true, collection: 'canvas_api_keys' },
);
canvasApiKeySchema.index({ tenant: 1 }, { unique: true });

export type CanvasApiKeyDoc = InferSchemaType<typeof canvasApiKeySchema> & { _id: Types.ObjectId };
export const CanvasApiKey = mongoose.model('CanvasApiKey', canvasApiKeySchema);
