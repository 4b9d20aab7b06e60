import mongoose, { InferSchemaType, Schema, Types } from 'mongoose';

/**
 * Per learner: when Keepup last delivered messages to them (any campaign), for the frequency cap and the
 * "already contacted" flag. Updated with optimistic concurrency on `version`, so two senders can never both
 * take the last slot of the week.
 */
const contactLedgerSchema = new Schema(
  {
    courseId: { type: Schema.Types.ObjectId, required: true },
    learnerId: { type: Schema.Types.ObjectId, required: true },
    /** Delivery times inside the cap window, oldest first. */
    recent: { type: [Date], default: [] },
    lastContactedAt: { type: Date, default: null },
    version: { type: Number, default: 0 },
  },
  { collection: 'contact_ledger', versionKey: false },
);
contactLedgerSchema.index({ learnerId: 1 }, { unique: true });
contactLedgerSchema.index({ courseId: 1, lastContactedAt: 1 });

export type ContactLedgerDoc = InferSchemaType<typeof contactLedgerSchema> & { _id: Types.ObjectId };
export const ContactLedger = mongoose.model('ContactLedger', contactLedgerSchema);
