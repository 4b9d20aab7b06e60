import type { NightlyRunDoc } from '../storage/models/NightlyRun';
import { featureChunkId } from '../storage/models/FeatureChunk';
import { INPUTS_BYTES, unpackInputs, type StoredInputs } from './modelInputs';

/** Learners per stored feature chunk (about 1 MB of model inputs), and per scoring batch. */
export const FEATURE_CHUNK = 500;

/** Activity figures kept per learner: last active (epoch ms, -1 when never), active days, last-week minutes/problems/video minutes, total minutes. */
export const ACTIVITY_FIGURES = 6;

/** One learner's stored features for a run. */
export interface LearnerFeatureRow {
  /** Learner `_id` (hex). */
  learnerId: string;
  window: { start: number; end: number };
  /** `ACTIVITY_FIGURES` numbers. */
  activity: number[];
  /** `packInputs` of the learner's inputs and the two "what would help" variants. */
  inputs: Uint8Array;
}

/** The stored FeatureChunk document of `rows` (chunk `chunk` of partition `partition` of the run). */
export function packFeatureChunk(run: Pick<NightlyRunDoc, 'courseId' | 'runDate'>, partition: number, chunk: number, rows: readonly LearnerFeatureRow[]) {
  const n = rows.length;
  const ids = Buffer.alloc(n * 12);
  const windows = new Int32Array(n * 2);
  const activity = new Float64Array(n * ACTIVITY_FIGURES);
  const inputs = Buffer.alloc(n * INPUTS_BYTES);
  rows.forEach((row, i) => {
    if (!/^[0-9a-f]{24}$/.test(row.learnerId)) throw new Error(`learner id ${row.learnerId} is not a 24-character hex id`);
    ids.write(row.learnerId, i * 12, 'hex');
    windows[2 * i] = row.window.start;
    windows[2 * i + 1] = row.window.end;
    activity.set(row.activity.slice(0, ACTIVITY_FIGURES), i * ACTIVITY_FIGURES);
    if (row.inputs.byteLength !== INPUTS_BYTES) throw new Error(`learner ${row.learnerId} has ${row.inputs.byteLength} bytes of inputs, expected ${INPUTS_BYTES}`);
    inputs.set(row.inputs, i * INPUTS_BYTES);
  });
  return {
    _id: featureChunkId(run.courseId, run.runDate, partition, chunk),
    c: run.courseId,
    r: run.runDate,
    pt: partition,
    k: chunk,
    n,
    l: ids,
    w: Buffer.from(windows.buffer),
    a: Buffer.from(activity.buffer),
    x: inputs,
  };
}

/** One learner of a stored chunk, with its model inputs unpacked. */
export interface StoredLearner {
  learnerId: string;
  window: { start: number; end: number };
  activity: number[];
  inputs: StoredInputs;
}

/** The learners of a stored FeatureChunk document (any projection holding `n` and the fields read). */
export function unpackFeatureChunk(doc: Record<string, unknown>): StoredLearner[] {
  const n = Number(doc.n);
  const ids = bytesOf(doc.l);
  const windows = new Int32Array(copyOf(bytesOf(doc.w)).buffer);
  const activity = new Float64Array(copyOf(bytesOf(doc.a)).buffer);
  const inputs = bytesOf(doc.x);
  if (ids.byteLength !== n * 12 || windows.length !== n * 2 || activity.length !== n * ACTIVITY_FIGURES || inputs.byteLength !== n * INPUTS_BYTES) {
    throw new Error(`feature chunk ${String(doc._id)} does not hold ${n} learners in the current layout: rerun the features step`);
  }
  return Array.from({ length: n }, (_, i) => ({
    learnerId: Buffer.from(ids.buffer, ids.byteOffset + i * 12, 12).toString('hex'),
    window: { start: windows[2 * i], end: windows[2 * i + 1] },
    activity: Array.from(activity.subarray(i * ACTIVITY_FIGURES, (i + 1) * ACTIVITY_FIGURES)),
    inputs: unpackInputs(inputs.subarray(i * INPUTS_BYTES, (i + 1) * INPUTS_BYTES)),
  }));
}

/** The model inputs only (the population step), without copying ids and figures. */
export function chunkInputs(doc: Record<string, unknown>): StoredInputs[] {
  const n = Number(doc.n);
  const inputs = bytesOf(doc.x);
  if (inputs.byteLength !== n * INPUTS_BYTES) throw new Error(`feature chunk ${String(doc._id)} does not hold ${n} learners in the current layout: rerun the features step`);
  return Array.from({ length: n }, (_, i) => unpackInputs(inputs.subarray(i * INPUTS_BYTES, (i + 1) * INPUTS_BYTES)));
}

/** A stored binary (BSON Binary or Buffer) as bytes. */
export function bytesOf(value: unknown): Uint8Array {
  if (value instanceof Uint8Array) return value;
  const binary = value as { buffer?: Uint8Array };
  if (binary?.buffer instanceof Uint8Array) return binary.buffer;
  throw new Error('stored features are not binary data');
}

/** An aligned copy (typed arrays over a Buffer's pooled memory need aligned offsets). */
function copyOf(bytes: Uint8Array): Uint8Array {
  const copy = new Uint8Array(bytes.byteLength);
  copy.set(bytes);
  return copy;
}
