import mongoose, { InferSchemaType, Schema, Types } from 'mongoose';

/**
 * One learner's predictions from one nightly run of a course: the three probabilities, the
 * model versions behind them, the top factors in plain words (packed, see `packFactors`), the "what would help" estimates,
 * and the few activity figures the dashboard, messages and nudges show. Unique per (course, learner, run date).
 */
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
    /** The top factors (see `StoredFactor`), packed by `packFactors`; read them with `scoreFactors`. */
    factors: { type: Schema.Types.Mixed },
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

export type ScoreDoc = Omit<InferSchemaType<typeof scoreSchema>, 'factors'> & { _id: Types.ObjectId; factors?: unknown };
export const Score = mongoose.model('Score', scoreSchema);

/** One explained factor of one outcome. */
export interface StoredFactor {
  outcome: 'dropout' | 'completion' | 'certificate';
  /** Factor group, e.g. `inactivity`. */
  feature: string;
  /** Plain words, e.g. "no activity for 9 days". */
  text: string;
  /** Signed contribution to the outcome's log-odds against the course median learner. */
  weight: number;
}

/**
 * A Score's factors as stored: one compact JSON string, `[outcome, feature, weight, text]` per factor.
 * FerretDB pays per stored field, and nine factor sub-documents of four fields each made a Score cost
 * 2.7 times as much to insert (and to read) as the same Score with them as one string.
 */
export function packFactors(factors: readonly StoredFactor[]): string {
  return JSON.stringify(factors.map((f) => [f.outcome, f.feature, f.weight, f.text]));
}

/** A Score's factors, packed (`packFactors`) or stored as an array of objects (scores written before). */
export function scoreFactors(stored: unknown): StoredFactor[] {
  if (Array.isArray(stored)) return stored as StoredFactor[];
  if (typeof stored !== 'string') return [];
  return (JSON.parse(stored) as Array<[StoredFactor['outcome'], string, number, string]>).map(([outcome, feature, weight, text]) => ({ outcome, feature, text, weight }));
}
