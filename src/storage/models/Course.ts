import mongoose, { InferSchemaType, Schema, Types } from 'mongoose';

/**
 * A course on one platform. `externalId` is the id activity data uses (Open edX course key,
 * Canvas course id); LTI launches add the context ids they arrive with.
 */
const courseSchema = new Schema(
  {
    /** Registration (platforms collection) this course belongs to; `null` for file-import-only courses. */
    platformId: { type: Schema.Types.ObjectId, default: null, index: true },
    platform: { type: String, enum: ['openedx', 'canvas', 'moodle', 'kdd', 'other'], required: true },
    /** Tenant key: the LTI issuer, or `local` for courses created by imports. */
    tenant: { type: String, required: true, default: 'local' },
    externalId: { type: String, required: true },
    ltiContextIds: { type: [String], default: [] },
    /** LTI Advantage endpoints from the latest launch: NRPS memberships URL (roster sync), AGS line items URL. */
    lti: {
      deploymentId: { type: String },
      membershipsUrl: { type: String },
      lineItemsUrl: { type: String },
      rosterSyncedAt: { type: Date },
    },
    title: { type: String, default: '' },
    timeZone: { type: String, default: 'UTC' },
    startDate: { type: Date, default: null },
    endDate: { type: Date, default: null },
    /** Nightly run schedule: cron pattern in `timeZone`. */
    nightlyCron: { type: String, default: '0 2 * * *' },
    /** Run date (`YYYY-MM-DD`) of the last nightly run whose scores are complete; what dashboards and widgets read. */
    lastScoredRunDate: { type: String, default: null },
    /** Data retention for raw events, days. */
    rawRetentionDays: { type: Number, default: 90 },
  },
  { timestamps: true, collection: 'courses' },
);
courseSchema.index({ tenant: 1, externalId: 1 }, { unique: true });
courseSchema.index({ ltiContextIds: 1 });

export type CourseDoc = InferSchemaType<typeof courseSchema> & { _id: Types.ObjectId };
export const Course = mongoose.model('Course', courseSchema);
