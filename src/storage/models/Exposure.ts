import mongoose, { InferSchemaType, Schema, Types } from 'mongoose';

/**
 * A learner was shown their arm's nudge (or, in a control arm, the widget without one) on a UTC day.
 * `_id` is `<experimentId>:<learnerId>:<day>`: unique per (experiment, learner, day), so repeated views the
 * same day only raise `views`.
 */
const exposureSchema = new Schema(
  {
    _id: { type: String, required: true },
    experimentId: { type: Schema.Types.ObjectId, required: true },
    courseId: { type: Schema.Types.ObjectId, required: true },
    learnerId: { type: Schema.Types.ObjectId, required: true },
    day: { type: Number, required: true },
    arm: { type: String, required: true },
    strategy: { type: String, required: true },
    /** Where it was first shown that day: `widget` or `video`. */
    placement: { type: String, required: true },
    /** The exact text shown (empty when nothing was shown). */
    text: { type: String, default: '' },
    firstAt: { type: Date, required: true },
    views: { type: Number, default: 1 },
  },
  { collection: 'exposures' },
);
exposureSchema.index({ experimentId: 1, arm: 1 });

export type ExposureDoc = InferSchemaType<typeof exposureSchema>;

/** The `_id` of a learner's exposure in an experiment on a UTC day. */
export function exposureKey(experimentId: string | Types.ObjectId, learnerId: string | Types.ObjectId, day: number): string {
  return `${String(experimentId)}:${String(learnerId)}:${day}`;
}
export const Exposure = mongoose.model('Exposure', exposureSchema);
