import mongoose, { InferSchemaType, Schema, Types } from 'mongoose';

/**
 * Which arm of an experiment a learner is in: made once, kept for the experiment's life, so every
 * device and launch shows the same arm. `arm` is `holdout` for held-out learners. `_id` is
 * `<experimentId>:<learnerId>` (see assignmentKey): unique per (experiment, learner), and looked up by `_id`.
 */
const assignmentSchema = new Schema(
  {
    _id: { type: String, required: true },
    experimentId: { type: Schema.Types.ObjectId, required: true },
    courseId: { type: Schema.Types.ObjectId, required: true },
    learnerId: { type: Schema.Types.ObjectId, required: true },
    arm: { type: String, required: true },
    /**
     * Stratum at assignment (see `Stratum`): dropout risk (`low`, `medium`, `high`, `unscored`), behaviour
     * cluster label (or `unclustered`), both joined by ` · `, or `all` when the experiment is not stratified.
     */
    stratum: { type: String, required: true, default: 'all' },
    /** UTC day number of the assignment. */
    day: { type: Number, required: true },
    /** Days on which the learner was shown the widget (raised with each day's first exposure). */
    exposureDays: { type: Number, default: 0 },
  },
  { timestamps: true, collection: 'assignments' },
);
assignmentSchema.index({ experimentId: 1, stratum: 1, arm: 1 });

export type AssignmentDoc = InferSchemaType<typeof assignmentSchema>;

/** The `_id` of a learner's assignment in an experiment. */
export function assignmentKey(experimentId: string | Types.ObjectId, learnerId: string | Types.ObjectId): string {
  return `${String(experimentId)}:${String(learnerId)}`;
}
export const Assignment = mongoose.model('Assignment', assignmentSchema);
