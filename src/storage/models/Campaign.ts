import mongoose, { InferSchemaType, Schema, Types } from 'mongoose';

export const CAMPAIGN_STATUSES = ['draft', 'active', 'paused', 'stopped'] as const;
export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number];
export const CHANNELS = ['email', 'canvas'] as const;
export type Channel = (typeof CHANNELS)[number];

const rangeSchema = new Schema({ min: { type: Number, required: true }, max: { type: Number, required: true } }, { _id: false });

/**
 * An instructor's message to a dynamic audience: score ranges, optional activity and behaviour-cluster filters evaluated
 * against the latest run every time a round is sent (never a frozen list), minus excluded learners.
 * `auto` sends a new round after each nightly run to learners who newly match; the outbox guarantees
 * that no learner ever receives the same campaign twice.
 */
const campaignSchema = new Schema(
  {
    courseId: { type: Schema.Types.ObjectId, required: true },
    name: { type: String, required: true },
    status: { type: String, enum: CAMPAIGN_STATUSES, default: 'draft' },
    channel: { type: String, enum: CHANNELS, default: 'email' },
    subject: { type: String, required: true },
    body: { type: String, required: true },
    /** Used for `[:firstname:]` / `[:fullname:]` when the learner's name is unknown. */
    nameFallback: { type: String, default: 'there' },
    audience: {
      dropout: { type: rangeSchema, default: null },
      completion: { type: rangeSchema, default: null },
      certificate: { type: rangeSchema, default: null },
      /** Only learners inactive at least this many days. */
      minInactiveDays: { type: Number, default: null },
      /** Only learners with at most this many minutes last week. */
      maxLastWeekMinutes: { type: Number, default: null },
      /** Only learners whose behaviour cluster (latest clustering, read at each round) has one of these labels. */
      clusters: { type: [String], default: undefined },
    },
    excludedLearnerIds: { type: [Schema.Types.ObjectId], default: [] },
    auto: { type: Boolean, default: false },
    /** Who the learner sees: the instructor as `From` or only as `Reply-To` (From stays Keepup's address). */
    sender: {
      name: { type: String, default: '' },
      email: { type: String, default: '' },
      as: { type: String, enum: ['reply-to', 'from'], default: 'reply-to' },
    },
    /** Local hours (learner's time zone) when nothing is delivered; start == end disables. */
    quietHours: {
      start: { type: Number, default: 21 },
      end: { type: Number, default: 8 },
    },
    /** Last round number used; rounds are numbered 1, 2, … */
    rounds: { type: Number, default: 0 },
    lastRoundAt: { type: Date, default: null },
    lastAutoRunDate: { type: String, default: null },
    duplicatedFrom: { type: Schema.Types.ObjectId, default: null },
    createdBy: {
      userSub: { type: String, required: true },
      platformId: { type: String, default: '' },
    },
  },
  { timestamps: true, collection: 'campaigns' },
);
campaignSchema.index({ courseId: 1, createdAt: -1 });
campaignSchema.index({ courseId: 1, auto: 1, status: 1 });

export type CampaignDoc = InferSchemaType<typeof campaignSchema> & { _id: Types.ObjectId; createdAt: Date; updatedAt: Date };
export const Campaign = mongoose.model('Campaign', campaignSchema);
