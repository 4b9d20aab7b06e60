import { contextFeatures, type PopulationStats } from '../features/ContextFeatures';
import { courseLevelColumns, flatNames, stepSize } from '../features/featureTable';
import { featureNames } from '../features/WeeklyFeatures';
import type { ModelData } from '../models/ModelData';
import { SCORING_SPEC } from './scoringSpec';

/** Widths of the scoring layout. */
export const BASE_WIDTH = featureNames(SCORING_SPEC).length;
export const SEQUENCE_WIDTH = SCORING_SPEC.steps * stepSize(SCORING_SPEC);
export const FLAT_WIDTH = flatNames(SCORING_SPEC).length;

/** Base feature index of each course-level column (`course_mean_<name>`), in the order the flat vector holds them. */
const COURSE_LEVEL_SOURCES = courseLevelColumns(SCORING_SPEC).map((column) => {
  const name = flatNames(SCORING_SPEC)[column].replace(/^course_mean_/, '');
  const index = featureNames(SCORING_SPEC).indexOf(name);
  if (index < 0) throw new Error(`course-level column ${name} has no base feature`);
  return index;
});

/** One model input row before context: a base feature vector and an activity sequence. */
export interface RawRow {
  base: ArrayLike<number>;
  sequence: ArrayLike<number>;
}

/**
 * Model inputs for rows of one course scored against that course's population statistics, laid out
 * exactly as `courseTable` lays them out (base, context statistics, course-level means; sequence).
 */
export function modelData(rows: readonly RawRow[], stats: PopulationStats): ModelData {
  const courseLevel = COURSE_LEVEL_SOURCES.map((j) => stats.mean[j]);
  const flat = new Float32Array(rows.length * FLAT_WIDTH);
  const sequence = new Float32Array(rows.length * SEQUENCE_WIDTH);
  rows.forEach((row, i) => {
    const offset = i * FLAT_WIDTH;
    flat.set(row.base, offset);
    flat.set(contextFeatures(row.base, stats), offset + BASE_WIDTH);
    flat.set(courseLevel, offset + BASE_WIDTH * 4);
    sequence.set(row.sequence, i * SEQUENCE_WIDTH);
  });
  return {
    rows: rows.length,
    flat,
    width: FLAT_WIDTH,
    sequence,
    steps: SCORING_SPEC.steps,
    stepSize: stepSize(SCORING_SPEC),
    labels: new Float32Array(rows.length).fill(NaN),
    courses: new Array<string>(rows.length).fill(''),
  };
}

/**
 * Model inputs for each row followed by one row per group with that group's inputs set to the reference
 * row's (the occlusion attribution's counterfactuals). Equal to `modelData` over `withMedianGroup` rows, but
 * the context statistics are computed once per learner: a context column depends only on its own feature,
 * so a swapped feature's four columns are simply the reference row's.
 */
export function modelDataWithOcclusions(rows: readonly RawRow[], reference: RawRow, groups: readonly { base: number[]; sequence: number[] }[], stats: PopulationStats): ModelData {
  const per = groups.length + 1;
  const actual = modelData(rows, stats);
  const ref = modelData([reference], stats);
  const data = modelData([], stats);
  data.rows = rows.length * per;
  data.flat = new Float32Array(data.rows * FLAT_WIDTH);
  data.sequence = new Float32Array(data.rows * SEQUENCE_WIDTH);
  data.labels = new Float32Array(data.rows).fill(NaN);
  data.courses = new Array<string>(data.rows).fill('');
  for (let i = 0; i < rows.length; i++) {
    const flatRow = actual.flat.subarray(i * FLAT_WIDTH, (i + 1) * FLAT_WIDTH);
    const sequenceRow = actual.sequence.subarray(i * SEQUENCE_WIDTH, (i + 1) * SEQUENCE_WIDTH);
    for (let g = 0; g <= groups.length; g++) {
      const row = i * per + g;
      data.flat.set(flatRow, row * FLAT_WIDTH);
      data.sequence.set(sequenceRow, row * SEQUENCE_WIDTH);
      if (g === 0) continue;
      for (const j of groups[g - 1].base) for (let view = 0; view < 4; view++) data.flat[row * FLAT_WIDTH + view * BASE_WIDTH + j] = ref.flat[view * BASE_WIDTH + j];
      for (const k of groups[g - 1].sequence) data.sequence[row * SEQUENCE_WIDTH + k] = ref.sequence[k];
    }
  }
  return data;
}

/** The three stored variants of a learner's inputs: as is, one more video hour, one more problem solved. */
export interface StoredInputs {
  actual: RawRow;
  plusVideoHour: RawRow;
  plusProblem: RawRow;
}

const VARIANT = BASE_WIDTH + SEQUENCE_WIDTH;

/** Bytes of one learner's packed inputs (`packInputs`). */
export const INPUTS_BYTES = VARIANT * 3 * 4;

/** Packs the three variants into one float32 little-endian buffer (a learner's block of FeatureChunk.x). */
export function packInputs(inputs: StoredInputs): Buffer {
  const values = new Float32Array(VARIANT * 3);
  [inputs.actual, inputs.plusVideoHour, inputs.plusProblem].forEach((row, k) => {
    values.set(row.base, k * VARIANT);
    values.set(row.sequence, k * VARIANT + BASE_WIDTH);
  });
  return Buffer.from(values.buffer, values.byteOffset, values.byteLength);
}

/** Unpacks one learner's block of FeatureChunk.x; throws when the buffer was written for another feature layout. */
export function unpackInputs(buffer: Buffer | Uint8Array): StoredInputs {
  if (buffer.byteLength !== INPUTS_BYTES) throw new Error(`stored features have ${buffer.byteLength} bytes, expected ${INPUTS_BYTES}: feature layout changed, rerun the features step`);
  const copy = new Uint8Array(buffer.byteLength);
  copy.set(buffer);
  const values = new Float32Array(copy.buffer);
  const variant = (k: number): RawRow => ({ base: values.subarray(k * VARIANT, k * VARIANT + BASE_WIDTH), sequence: values.subarray(k * VARIANT + BASE_WIDTH, (k + 1) * VARIANT) });
  return { actual: variant(0), plusVideoHour: variant(1), plusProblem: variant(2) };
}
