import mongoose, { Schema } from 'mongoose';

/**
 * The features of up to `FEATURE_CHUNK` learners of one partition of one nightly run (`feature_chunks`), packed
 * as binaries: learner ids, feature windows, activity figures, and the model inputs (base features and activity
 * sequence, also for the two "what would help" variants). `_id` is `<course>|<runDate>|<partition>|<chunk>`.
 *
 * One document per chunk rather than per learner because FerretDB v1.24 pays per document and per field: every
 * query is a PostgreSQL table scan, equality filters run in PostgreSQL and range filters in FerretDB after it has
 * decoded each row. So a 100,000-learner run writes and reads 200 documents instead of 100,000, and a partition
 * finds its own chunks by equality on (`c`, `r`, `pt`).
 */
const featureChunkSchema = new Schema(
  {
    _id: { type: String, required: true },
    /** Course `_id` (hex). */
    c: { type: String, required: true },
    /** Run date `YYYY-MM-DD`. */
    r: { type: String, required: true },
    /** Partition index in the run. */
    pt: { type: Number, required: true },
    /** Chunk index in the partition. */
    k: { type: Number, required: true },
    /** Learners in the chunk. */
    n: { type: Number, required: true },
    /** Learner ids: 12 bytes each. */
    l: { type: Buffer, required: true },
    /** Feature windows: int32 LE [start, end] per learner (UTC day numbers, inclusive). */
    w: { type: Buffer, required: true },
    /** Activity figures: float64 LE, `ACTIVITY_FIGURES` per learner (see `src/scoring/featureChunks.ts`). */
    a: { type: Buffer, required: true },
    /** Model inputs: float32 LE, one `packInputs` block per learner. */
    x: { type: Buffer, required: true },
  },
  { collection: 'feature_chunks', versionKey: false, _id: false },
);
featureChunkSchema.index({ c: 1, r: 1, pt: 1 });

export const FeatureChunk = mongoose.model('FeatureChunk', featureChunkSchema);

/** The `_id` of a chunk of a run's features. */
export function featureChunkId(courseId: string, runDate: string, partition: number, chunk: number): string {
  return `${courseId}|${runDate}|${partition}|${String(chunk).padStart(5, '0')}`;
}
