import mongoose, { InferSchemaType, Schema, Types } from 'mongoose';

/**
 * A message as it was handed to a channel: the rendered text, where it went and what happened to it
 * afterwards (accepted, bounced, failed). One per outbox row (unique), written when the channel accepted
 * or refused it, so the campaign history shows exactly what each learner received.
 */
const messageSchema = new Schema(
  {
    outboxId: { type: Schema.Types.ObjectId, required: true },
    campaignId: { type: Schema.Types.ObjectId, required: true },
    courseId: { type: Schema.Types.ObjectId, required: true },
    learnerId: { type: Schema.Types.ObjectId, required: true },
    channel: { type: String, enum: ['email', 'canvas'], required: true },
    /** RFC 5322 Message-ID for email; Canvas batch id for the Inbox. */
    providerId: { type: String, default: '' },
    subject: { type: String, required: true },
    text: { type: String, required: true },
    status: { type: String, enum: ['accepted', 'bounced', 'failed'], required: true },
    events: {
      type: [new Schema({ type: { type: String, required: true }, at: { type: Date, required: true }, detail: { type: String, default: '' } }, { _id: false })],
      default: [],
    },
  },
  { timestamps: true, collection: 'messages' },
);
messageSchema.index({ campaignId: 1, learnerId: 1 });
messageSchema.index({ providerId: 1 });

export type MessageDoc = InferSchemaType<typeof messageSchema> & { _id: Types.ObjectId; createdAt: Date };
export const Message = mongoose.model('Message', messageSchema);
