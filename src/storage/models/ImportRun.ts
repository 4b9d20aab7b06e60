import mongoose, { InferSchemaType, Schema, Types } from 'mongoose';

/**
 * Every import or pull: what came in, what was accepted, every reject counted by reason, and the
 * watermark a resumable pull continues from. `fileKeys` lists the content hashes of files fully
 * imported by this run, so a replay of the same file is recognised.
 */
const importRunSchema = new Schema(
  {
    source: { type: String, required: true },
    format: { type: String, required: true },
    platform: { type: String },
    /** Course `_id`s (hex) the run wrote to. */
    courseIds: { type: [String], default: [] },
    connectionId: { type: Schema.Types.ObjectId, default: null },
    paths: { type: [String], default: [] },
    status: { type: String, enum: ['running', 'completed', 'failed'], default: 'running' },
    dryRun: { type: Boolean, default: false },
    read: { type: Number, default: 0 },
    accepted: { type: Number, default: 0 },
    rejected: { type: Number, default: 0 },
    duplicates: { type: Number, default: 0 },
    rejectedByReason: { type: Schema.Types.Mixed, default: {} },
    byCategory: { type: Schema.Types.Mixed, default: {} },
    /** Unknown event names counted as `other`, most frequent first: [{ name, n }]. */
    otherNames: { type: [Schema.Types.Mixed], default: [] },
    learners: { type: Number, default: 0 },
    days: { type: Number, default: 0 },
    fileKeys: { type: [String], default: [] },
    watermark: { type: Schema.Types.Mixed, default: null },
    /** For pushes: the UTC day (YYYY-MM-DD) whose pushes this row adds up. */
    period: { type: String },
    error: { type: String },
    startedAt: { type: Date, default: () => new Date() },
    finishedAt: { type: Date },
  },
  { collection: 'import_runs', versionKey: false },
);
importRunSchema.index({ startedAt: -1 });
importRunSchema.index({ fileKeys: 1 });
importRunSchema.index({ connectionId: 1, startedAt: -1 });

export type ImportRunDoc = InferSchemaType<typeof importRunSchema> & { _id: Types.ObjectId };
export const ImportRun = mongoose.model('ImportRun', importRunSchema);
