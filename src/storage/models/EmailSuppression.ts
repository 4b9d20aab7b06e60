import mongoose, { InferSchemaType, Schema } from 'mongoose';

/**
 * An email address that bounced: keyed by the lowercased address, counting distinct hard bounces (a bounce
 * report per delivery counts once). At the threshold `suppressedAt` is set and no campaign emails it again.
 */
const emailSuppressionSchema = new Schema(
  {
    _id: { type: String, required: true },
    hardBounces: { type: Number, default: 0 },
    softBounces: { type: Number, default: 0 },
    lastStatus: { type: String, default: null },
    lastDiagnostic: { type: String, default: null },
    lastBounceAt: { type: Date, default: null },
    suppressedAt: { type: Date, default: null },
  },
  { timestamps: true, collection: 'email_suppressions' },
);

export type EmailSuppressionDoc = InferSchemaType<typeof emailSuppressionSchema> & { _id: string };
export const EmailSuppression = mongoose.model('EmailSuppression', emailSuppressionSchema);
