import mongoose, { Schema } from 'mongoose';

/**
 * The latest known outcome of a learner in a course, as a source reported it: `passed`/`grade`
 * (Open edX grades, Canvas scores), `certificate`, `completion` (fraction), `dropout` (KDD labels).
 * One document per (course, learner, outcome), replaced by newer pulls.
 */
const learnerOutcomeSchema = new Schema(
  {
    _id: { type: String, required: true },
    c: { type: String, required: true },
    /** Learner `_id` (hex), or `?<keyType>:<key>` while unresolved. */
    l: { type: String, required: true },
    outcome: { type: String, enum: ['passed', 'grade', 'certificate', 'completion', 'dropout'], required: true },
    value: { type: Number, required: true },
    source: { type: String, required: true },
    at: { type: Date, default: () => new Date() },
  },
  { collection: 'learner_outcomes', versionKey: false, _id: false },
);
learnerOutcomeSchema.index({ c: 1, outcome: 1 });

export const LearnerOutcome = mongoose.model('LearnerOutcome', learnerOutcomeSchema);
