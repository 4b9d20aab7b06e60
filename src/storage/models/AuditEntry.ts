import mongoose, { InferSchemaType, Schema, Types } from 'mongoose';

/**
 * Append-only record of who did what to whom and when: campaign changes and sends by instructors,
 * each delivered or refused message, each opt-out. Never holds message text or personal data beyond ids.
 */
const auditEntrySchema = new Schema(
  {
    courseId: { type: Schema.Types.ObjectId, required: true },
    at: { type: Date, required: true, default: () => new Date() },
    /** `instructor:<sub>`, `learner:<id>`, `system`. */
    actor: { type: String, required: true },
    action: { type: String, required: true },
    campaignId: { type: Schema.Types.ObjectId, default: null },
    learnerId: { type: Schema.Types.ObjectId, default: null },
    detail: { type: String, default: '' },
  },
  { collection: 'audit_log', versionKey: false },
);
auditEntrySchema.index({ courseId: 1, at: -1 });
auditEntrySchema.index({ campaignId: 1, at: -1 });

export type AuditEntryDoc = InferSchemaType<typeof auditEntrySchema> & { _id: Types.ObjectId };
export const AuditEntry = mongoose.model('AuditEntry', auditEntrySchema);
