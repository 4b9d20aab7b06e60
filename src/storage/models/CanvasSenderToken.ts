import mongoose, { InferSchemaType, Schema, Types } from 'mongoose';

/**
 * The Canvas OAuth tokens an instructor granted Keepup for sending Inbox messages in one course, sealed with
 * SecretBox (never stored or logged in clear), one per (course, instructor). Messages sent through it come
 * from that instructor. Tokens from the OAuth2 flow carry a refresh token and an expiry; a token pasted by
 * hand has neither.
 */
const canvasSenderTokenSchema = new Schema(
  {
    courseId: { type: Schema.Types.ObjectId, required: true },
    /** Canvas API base, e.g. `https://school.instructure.com`. */
    apiBase: { type: String, required: true },
    /** Canvas numeric course id, for `context_code=course_<id>`. */
    canvasCourseId: { type: String, required: true },
    sealedToken: { type: String, required: true },
    /** LTI `sub` of the instructor who granted the token. */
    userSub: { type: String, required: true },
    sealedRefreshToken: { type: String, default: null },
    /** When the access token stops working (null: unknown, used until Canvas refuses it). */
    expiresAt: { type: Date, default: null },
    /** Canvas user id the token acts for (from the token response). */
    canvasUserId: { type: String, default: null },
  },
  { timestamps: true, collection: 'canvas_sender_tokens' },
);
canvasSenderTokenSchema.index({ courseId: 1, userSub: 1 }, { unique: true });

export type CanvasSenderTokenDoc = InferSchemaType<typeof canvasSenderTokenSchema> & { _id: Types.ObjectId };
export const CanvasSenderToken = mongoose.model('CanvasSenderToken', canvasSenderTokenSchema);
