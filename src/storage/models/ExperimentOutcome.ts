import mongoose, { InferSchemaType, Schema, Types } from 'mongoose';

/**
 * One assigned learner's measured outcomes over an experiment's window (from `fromDay` to `toDay`,
 * UTC day numbers). Recomputed idempotently after each nightly run. `_id` is `<experimentId>:<learnerId>`
 * (the assignment's key): unique per (experiment, learner).
 */
const outcomeSchema = new Schema(
  {
    _id: { type: String, required: true },
    experimentId: { type: Schema.Types.ObjectId, required: true },
    learnerId: { type: Schema.Types.ObjectId, required: true },
    arm: { type: String, required: true },
    stratum: { type: String, required: true },
    fromDay: { type: Number, required: true },
    toDay: { type: Number, required: true },
    videoMinutes: { type: Number, required: true },
    assignmentsCompleted: { type: Number, required: true },
    /** problems correct / attempted; null when nothing was attempted. */
    correctRatio: { type: Number, default: null },
    activeDays: { type: Number, required: true },
    /** 1 when the learner had no activity in the window's last days (see docs/experiments.md), else 0. */
    dropout: { type: Number, required: true },
  },
  { timestamps: true, collection: 'experiment_outcomes' },
);
outcomeSchema.index({ experimentId: 1 });

export type ExperimentOutcomeDoc = InferSchemaType<typeof outcomeSchema>;
export const ExperimentOutcome = mongoose.model('ExperimentOutcome', outcomeSchema);
