import mongoose, { InferSchemaType, Schema, Types } from 'mongoose';

/**
 * What the widget shows one learner, rebuilt after each nightly run (and on opt-out or experiment
 * start/stop), so a widget request is one read by (course, learner) — Redis first, this collection behind it.
 * `content` is the presented widget JSON (see src/nudges/nudgeContent.ts); it never holds other learners' data.
 */
const nudgeCacheSchema = new Schema(
  {
    courseId: { type: Schema.Types.ObjectId, required: true },
    learnerId: { type: Schema.Types.ObjectId, required: true },
    /** Score run date the content was built from (null when no scores yet). */
    runDate: { type: String, default: null },
    content: { type: Schema.Types.Mixed, required: true },
  },
  { timestamps: true, collection: 'nudge_cache', minimize: false },
);
nudgeCacheSchema.index({ courseId: 1, learnerId: 1 }, { unique: true });

export type NudgeCacheDoc = InferSchemaType<typeof nudgeCacheSchema> & { _id: Types.ObjectId };
export const NudgeCache = mongoose.model('NudgeCache', nudgeCacheSchema);
