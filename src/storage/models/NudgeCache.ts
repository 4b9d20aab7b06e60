import mongoose, { InferSchemaType, Schema, Types } from 'mongoose';

/**
 * What the widget shows one learner, rebuilt after each nightly run (and on opt-out or experiment
 * start/stop), so a widget request is one read by (course, learner) — Redis first, this collection behind it.
 * `content` is the presented widget JSON (see src/nudges/nudgeContent.ts); it never holds other learners' data.
 * `_id` is the learner's id (a learner belongs to one course), so reads and upserts go by `_id`, the one key
 * every MongoDB-compatible store looks up directly.
 */
const nudgeCacheSchema = new Schema(
  {
    /** The Learner _id. */
    _id: { type: Schema.Types.ObjectId, required: true },
    courseId: { type: Schema.Types.ObjectId, required: true },
    /** Score run date the content was built from (null when no scores yet). */
    runDate: { type: String, default: null },
    content: { type: Schema.Types.Mixed, required: true },
  },
  { timestamps: true, collection: 'nudge_cache', minimize: false },
);
nudgeCacheSchema.index({ courseId: 1 });

export type NudgeCacheDoc = InferSchemaType<typeof nudgeCacheSchema> & { _id: Types.ObjectId };
export const NudgeCache = mongoose.model('NudgeCache', nudgeCacheSchema);
