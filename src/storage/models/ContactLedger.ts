import mongoose, { InferSchemaType, Schema, Types } from 'mongoose';

/**
 * Per learner: when Keepup last delivered messages to them (any campaign), for the frequency cap and the
 * "already contacted" flag. Keyed by the learner's id (`_id`, the one lookup every server answers from an
 * index) and updated with optimistic concurrency on `version`, so two senders never both take the last slot.
 */
const contactLedgerSchema = new Schema(
  {
    /** The learner's _id. */
    _id: { type: Schema.Types.ObjectId, required: true },
    courseId: { type: Schema.Types.ObjectId, required: true },
    learnerId: { type: Schema.Types.ObjectId, required: true },
    /** Delivery times inside the cap window, oldest first. */
    recent: { type: [Date], default: [] },
    lastContactedAt: { type: Date, default: null },
    version: { type: Number, default: 0 },
  },
  { collection: 'contact_ledger', versionKey: false },
);
contactLedgerSchema.index({ courseId: 1, lastContactedAt: 1 });

export type ContactLedgerDoc = InferSchemaType<typeof contactLedgerSchema> & { _id: Types.ObjectId };
export const ContactLedger = mongoose.model('ContactLedger', contactLedgerSchema);
