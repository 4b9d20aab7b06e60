import mongoose, { InferSchemaType, Schema, Types } from 'mongoose';

/**
 * One learner's predictions from one nightly run of a course: the three probabilities, the
 * model versions behind them, the top factors in plain words, the "what would help" estimates,
 * and the few activity figures the dashboard, messages and nudges show. Unique per (course, learner, run date).
 */
const factorSchema = new Schema(
  {
    outcome: { type: String, enum: ['dropout', 'completion', 'certificate'], required: true },
    /** Feature name, e.g. `daysSinceLastActivity`. */
    feature: { type: String, required: true },
    /** Plain words, e.g. "no activity for 9 days". */
    text: { type: String, required: true },
    /** Signed contribution to the outcome's log-odds against the course median learner. */
    weight: { type: Number, required: true },
  },
  { _id: false },
);

const scoreSchema = new Schema(
  {
    courseId: { type: Schema.Types.ObjectId, required: true },
    learnerId: { type: Schema.Types.ObjectId, required: true },
    /** Run date in the course's time zone, `YYYY-MM-DD`. */
    runDate: { type: String, required: true },
    dropout: { type: Number, required: true },
    completion: { type: Number, required: true },
    certificate: { type: Number, required: true },
    modelVersions: {
      dropout: { type: String },
      completion: { type: String },
      certificate: { type: String },
    },
    factors: { type: [factorSchema], default: [] },
    /** Model estimates (not causal effects) of how the certificate probability moves. */
    whatIf: {
      certificatePerVideoHour: { type: Number },
      certificatePerProblem: { type: Number },
      /** False when the estimate is too uncertain to show a learner. */
      trustworthy: { type: Boolean, default: false },
    },
    /** Activity figures for messages, nudges and the table. */
    activity: {
      lastActiveAt: { type: Date },
      activeDays: { type: Number, default: 0 },
      lastWeekMinutes: { type: Number, default: 0 },
      lastWeekProblems: { type: Number, default: 0 },
      lastWeekVideoMinutes: { type: Number, default: 0 },
      totalMinutes: { type: Number, default: 0 },
    },
  },
  { timestamps: true, collection: 'scores' },
);
scoreSchema.index({ courseId: 1, runDate: 1, learnerId: 1 }, { unique: true });
scoreSchema.index({ courseId: 1, learnerId: 1, runDate: -1 });

export type ScoreDoc = InferSchemaType<typeof scoreSchema> & { _id: Types.ObjectId };
export const Score = mongoose.model('Score', scoreSchema);
