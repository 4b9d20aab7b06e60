import mongoose, { InferSchemaType, Schema } from 'mongoose';

/**
 * One finished partition of a nightly run's features or score step (`nightly_run_parts`), inserted once:
 * `_id` is `<runId>|<step>|<partition>`. Kept apart from the run document because FerretDB rewrites a whole
 * document on update, so concurrent partitions setting fields of one shared document could lose each other's writes.
 */
const nightlyRunPartSchema = new Schema(
  {
    _id: { type: String, required: true },
    runId: { type: String, required: true },
    step: { type: String, enum: ['features', 'score'], required: true },
    partition: { type: Number, required: true },
    /** Learners featurized or scored. */
    n: { type: Number, required: true },
    /** Score step: sums of the three predictions and of the two what-if estimates over the partition. */
    sums: { dropout: Number, completion: Number, certificate: Number, video: Number, problem: Number },
    at: { type: Date, default: () => new Date() },
  },
  { collection: 'nightly_run_parts', versionKey: false, _id: false },
);
nightlyRunPartSchema.index({ runId: 1, step: 1 });

export type NightlyRunPartDoc = InferSchemaType<typeof nightlyRunPartSchema> & { _id: string };
export const NightlyRunPart = mongoose.model('NightlyRunPart', nightlyRunPartSchema);

/** The `_id` of a finished partition record. */
export function nightlyRunPartId(runId: string, step: 'features' | 'score', partition: number): string {
  return `${runId}|${step}|${partition}`;
}
