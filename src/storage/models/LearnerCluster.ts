import mongoose, { Schema } from 'mongoose';

/**
 * A learner's behaviour cluster in a course from the latest insights computation (`_id` =
 * `<course>|<learner>`). Campaign audiences read it by (course, label), experiment strata by `_id`.
 */
const learnerClusterSchema = new Schema(
  {
    _id: { type: String, required: true },
    /** Course `_id` (hex). */
    c: { type: String, required: true },
    /** Learner `_id` (hex). */
    l: { type: String, required: true },
    /** Cluster id (0 = largest) and its label at computation time. */
    k: { type: Number, required: true },
    label: { type: String, required: true },
    runDate: { type: String, required: true },
  },
  { collection: 'learner_clusters', versionKey: false, _id: false },
);
learnerClusterSchema.index({ c: 1, k: 1 });
learnerClusterSchema.index({ c: 1, label: 1 });
learnerClusterSchema.index({ c: 1, runDate: 1 });

export const LearnerCluster = mongoose.model('LearnerCluster', learnerClusterSchema);
