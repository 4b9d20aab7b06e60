import mongoose, { InferSchemaType, Schema, Types } from 'mongoose';

export const OUTBOX_STATUSES = ['pending', 'sending', 'sent', 'failed', 'skipped'] as const;
export type OutboxStatus = (typeof OUTBOX_STATUSES)[number];

/**
 * One message to deliver: one row per (campaign, learner, round) under a unique index, and at most one row
 * per (campaign, learner) so no campaign reaches a learner twice. Senders claim a row atomically
 * (`pending` → `sending` with a lease); a crashed sender's lease expires and the row is retried with the
 * same Message-ID (derived from the row's _id), so receivers that dedupe by Message-ID store it once.
 */
const outboxItemSchema = new Schema(
  {
    campaignId: { type: Schema.Types.ObjectId, required: true },
    courseId: { type: Schema.Types.ObjectId, required: true },
    learnerId: { type: Schema.Types.ObjectId, required: true },
    round: { type: Number, required: true },
    channel: { type: String, enum: ['email', 'canvas'], required: true },
    status: { type: String, enum: OUTBOX_STATUSES, default: 'pending' },
    /** Not delivered before this time (quiet hours, frequency cap, retry backoff). */
    notBefore: { type: Date, required: true },
    /** Set while `sending`: until when the current sender owns the row, and who it is. */
    leaseUntil: { type: Date, default: null },
    leaseId: { type: String, default: null },
    attempts: { type: Number, default: 0 },
    deferrals: { type: Number, default: 0 },
    /** Why a row was skipped or failed: `opted_out`, `no_address`, `frequency_cap`, `stopped`, `bounced`, … */
    reason: { type: String, default: null },
    lastError: { type: String, default: null },
    sentAt: { type: Date, default: null },
    /** The learner's activity figures from the round's run, for merge fields (delivery reads no scores). */
    merge: {
      lastActiveAt: { type: Date, default: null },
      activeDays: { type: Number, default: null },
      lastWeekMinutes: { type: Number, default: null },
      lastWeekProblems: { type: Number, default: null },
      lastWeekVideoMinutes: { type: Number, default: null },
      totalMinutes: { type: Number, default: null },
    },
    /** When this row took its frequency-cap slot; a retried row keeps it instead of taking another. */
    slotAt: { type: Date, default: null },
  },
  { timestamps: true, collection: 'outbox' },
);
outboxItemSchema.index({ campaignId: 1, learnerId: 1, round: 1 }, { unique: true });
outboxItemSchema.index({ campaignId: 1, learnerId: 1 }, { unique: true });
outboxItemSchema.index({ campaignId: 1, status: 1 });
outboxItemSchema.index({ courseId: 1, learnerId: 1 });

export type OutboxItemDoc = InferSchemaType<typeof outboxItemSchema> & { _id: Types.ObjectId; createdAt: Date; updatedAt: Date };
export const OutboxItem = mongoose.model('OutboxItem', outboxItemSchema);
