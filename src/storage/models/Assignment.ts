import mongoose, { InferSchemaType, Schema, Types } from 'mongoose';

/**
 * Which arm of an experiment a learner is in: made once, kept for the experiment's life, so every
 * device and launch shows the same arm. `arm` is `holdout` for held-out learners. Unique per (experiment, learner).
 */
const assignmentSchema = new Schema(
  {
    experimentId: { type: Schema.Types.ObjectId, required: true },
    courseId: { type: Schema.Types.ObjectId, required: true },
    learnerId: { type: Schema.Types.ObjectId, required: true },
    arm: { type: String, required: true },
    /** Dropout-risk stratum (`low`, `medium`, `high`, `unscored`) when the experiment is stratified, else `all`. */
    stratum: { type: String, required: true, default: 'all' },
    /** UTC day number of the assignment. */
    day: { type: Number, required: true },
  },
  { timestamps: true, collection: 'assignments' },
);
assignmentSchema.index({ experimentId: 1, learnerId: 1 }, { unique: true });
assignmentSchema.index({ experimentId: 1, stratum: 1, arm: 1 });

export type AssignmentDoc = InferSchemaType<typeof assignmentSchema> & { _id: Types.ObjectId };
export const Assignment = mongoose.model('Assignment', assignmentSchema);
