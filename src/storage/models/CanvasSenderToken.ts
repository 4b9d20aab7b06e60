import mongoose, { InferSchemaType, Schema, Types } from 'mongoose';

/**
 * The Canvas OAuth access token an instructor granted Keepup for sending Inbox messages in one course,
 * sealed with SecretBox (never stored or logged in clear). Messages sent through it come from that instructor.
 */
const canvasSenderTokenSchema = new Schema(
  {
    courseId: { type: Schema.Types.ObjectId, required: true },
    /** Canvas API base, e.g. `https://school.instructure.com`. */
    apiBase: { type: String, required: true },
    /** Canvas numeric course id, for `context_code=course_<id>`. */
    canvasCourseId: { type: String, required: true },
    sealedToken: { type: String, required: true },
    userSub: { type: String, required: true },
  },
  { timestamps: true, collection: 'canvas_sender_tokens' },
);
canvasSenderTokenSchema.index({ courseId: 1 }, { unique: true });

export type CanvasSenderTokenDoc = InferSchemaType<typeof canvasSenderTokenSchema> & { _id: Types.ObjectId };
export const CanvasSenderToken = mongoose.model('CanvasSenderToken', canvasSenderTokenSchema);
