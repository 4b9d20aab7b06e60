import mongoose, { Schema } from 'mongoose';

/**
 * One learner's features as of one nightly run (`features_weekly`): the base feature vector and the
 * activity sequence, also for the two "what would help" variants, as one little-endian float32 binary
 * (compact: FerretDB pays per stored field; one read per learner when scoring), the
 * learner's feature window and the activity figures the Score carries. `_id` is `<course>|<runDate>|<learner>`:
 * inserted once per run (a retry's duplicate-key errors are the idempotency). Kept across runs, these
 * snapshots are the training rows of per-course models once the outcomes are known.
 */
const featureWeekSchema = new Schema(
  {
    _id: { type: String, required: true },
    /** Course `_id` (hex). */
    c: { type: String, required: true },
    /** Run date `YYYY-MM-DD`. */
    r: { type: String, required: true },
    /** Learner `_id` (hex). */
    l: { type: String, required: true },
    /** Feature window, UTC day numbers, inclusive. */
    ws: { type: Number, required: true },
    we: { type: Number, required: true },
    /** float32 LE: [base, sequence] as is, then with one more video hour, then with one more problem solved. */
    x: { type: Buffer, required: true },
    /** Activity figures: last active (epoch ms), active days, last-week minutes/problems/video minutes, total minutes. */
    a: { type: [Number], default: [] },
  },
  { collection: 'features_weekly', versionKey: false, _id: false },
);
featureWeekSchema.index({ c: 1, r: 1 });

export const FeatureWeek = mongoose.model('FeatureWeek', featureWeekSchema);

/** The `_id` of a learner's features for a run. */
export function featureWeekId(courseId: string, runDate: string, learnerId: string): string {
  return `${courseId}|${runDate}|${learnerId}`;
}
