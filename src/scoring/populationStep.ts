import { populationStats, type PopulationStats } from '../features/ContextFeatures';
import { FeatureChunk } from '../storage/models/FeatureChunk';
import type { NightlyRunDoc } from '../storage/models/NightlyRun';
import { chunkInputs } from './featureChunks';
import { BASE_WIDTH, SEQUENCE_WIDTH, type RawRow } from './modelInputs';
import { finishStep, stepFinished } from './runState';

/** The course population a run scores against: context statistics and the course median learner. */
export interface RunPopulation {
  stats: PopulationStats;
  /** The course median learner: per-feature medians and the per-cell median activity sequence. */
  median: { base: number[]; sequence: number[] };
}

/** Sorted-sample size kept per feature for percentiles (stored with the run). */
const SAMPLE = 501;

/**
 * Second half of the features step, once every partition is featurized: reads the run's stored base
 * features (every feature chunk of the run) and computes the course population statistics the context
 * features are relative to, and the median learner explanations are attributed against.
 */
export async function runPopulationStep(run: NightlyRunDoc): Promise<RunPopulation> {
  if (stepFinished(run, 'features') && run.population) return parsePopulation(run);
  const bases = new RowBuffer(BASE_WIDTH);
  const sequences = new RowBuffer(SEQUENCE_WIDTH);
  for await (const doc of FeatureChunk.collection.find({ c: run.courseId, r: run.runDate }, { projection: { n: 1, x: 1 } }).batchSize(8)) {
    for (const { actual } of chunkInputs(doc)) {
      bases.push(actual.base);
      sequences.push(actual.sequence);
    }
  }
  if (bases.rows === 0) {
    const empty: RunPopulation = { stats: populationStats([new Float32Array(BASE_WIDTH)], SAMPLE), median: { base: new Array(BASE_WIDTH).fill(0), sequence: new Array(SEQUENCE_WIDTH).fill(0) } };
    await finishStep(run._id, 'features', 'done', 'no learners', { population: JSON.stringify(empty) });
    return empty;
  }
  const stats = populationStats(Array.from({ length: bases.rows }, (_, i) => bases.row(i)), SAMPLE);
  const population: RunPopulation = { stats, median: { base: stats.median, sequence: Array.from({ length: SEQUENCE_WIDTH }, (_, k) => median(sequences.column(k))) } };
  await finishStep(run._id, 'features', 'done', `${bases.rows} learners featurized`, { population: JSON.stringify(population) });
  return population;
}

/** The population stored on a run; throws when the features step has not produced it yet. */
export function parsePopulation(run: Pick<NightlyRunDoc, '_id' | 'population'>): RunPopulation {
  if (!run.population) throw new Error(`run ${run._id} has no population statistics yet`);
  return JSON.parse(run.population) as RunPopulation;
}

/** The course median learner as model input. */
export function medianRow(population: RunPopulation): RawRow {
  return { base: Float32Array.from(population.median.base), sequence: Float32Array.from(population.median.sequence) };
}

/** Rows of one width appended to one growing float32 buffer (4 bytes a value rather than an object per row). */
class RowBuffer {
  rows = 0;
  private data: Float32Array;

  constructor(readonly width: number) {
    this.data = new Float32Array(width * 1024);
  }

  push(row: ArrayLike<number>): void {
    if ((this.rows + 1) * this.width > this.data.length) {
      const grown = new Float32Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.data.set(row, this.rows * this.width);
    this.rows++;
  }

  row(i: number): Float32Array {
    return this.data.subarray(i * this.width, (i + 1) * this.width);
  }

  column(k: number): Float64Array {
    const out = new Float64Array(this.rows);
    for (let i = 0; i < this.rows; i++) out[i] = this.data[i * this.width + k];
    return out;
  }
}

function median(values: Float64Array): number {
  const sorted = values.sort();
  const mid = (sorted.length - 1) / 2;
  return (sorted[Math.floor(mid)] + sorted[Math.ceil(mid)]) / 2;
}
