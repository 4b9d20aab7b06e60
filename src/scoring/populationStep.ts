import { populationStats, type PopulationStats } from '../features/ContextFeatures';
import { seededRandom } from '../models/random';
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
 * Learners the medians and percentile samples are taken from: a uniform sample of this many when a course has
 * more (means and deviations always use every learner), so the step's memory stops growing with the course.
 */
const RESERVOIR = 20_000;

/**
 * Second half of the features step, once every partition is featurized: reads the run's stored base
 * features (every feature chunk of the run) and computes the course population statistics the context
 * features are relative to, and the median learner explanations are attributed against. Means and standard
 * deviations are exact; medians and the percentile samples come from a uniform sample of `RESERVOIR` learners.
 */
export async function runPopulationStep(run: NightlyRunDoc): Promise<RunPopulation> {
  if (stepFinished(run, 'features') && run.population) return parsePopulation(run);
  const bases = new RowBuffer(BASE_WIDTH);
  const sequences = new RowBuffer(SEQUENCE_WIDTH);
  const moments = new ColumnMoments(BASE_WIDTH);
  const random = seededRandom(1);
  for await (const doc of FeatureChunk.collection.find({ c: run.courseId, r: run.runDate }, { projection: { n: 1, x: 1 } }).batchSize(8)) {
    for (const { actual } of chunkInputs(doc)) {
      moments.add(actual.base);
      // Reservoir sampling (Algorithm R): every learner seen so far is in the sample with equal probability.
      const slot = bases.rows < RESERVOIR ? bases.rows : Math.floor(random() * moments.n);
      if (slot >= RESERVOIR) continue;
      bases.put(slot, actual.base);
      sequences.put(slot, actual.sequence);
    }
  }
  if (bases.rows === 0) {
    const empty: RunPopulation = { stats: populationStats([new Float32Array(BASE_WIDTH)], SAMPLE), median: { base: new Array(BASE_WIDTH).fill(0), sequence: new Array(SEQUENCE_WIDTH).fill(0) } };
    await finishStep(run._id, 'features', 'done', 'no learners', { population: JSON.stringify(empty) });
    return empty;
  }
  const stats = { ...populationStats(Array.from({ length: bases.rows }, (_, i) => bases.row(i)), SAMPLE), size: moments.n, mean: moments.mean(), std: moments.std() };
  const population: RunPopulation = { stats, median: { base: stats.median, sequence: Array.from({ length: SEQUENCE_WIDTH }, (_, k) => median(sequences.column(k))) } };
  await finishStep(run._id, 'features', 'done', `${moments.n} learners featurized`, { population: JSON.stringify(population) });
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

  /** Sets row `i`, appending when `i` is the next row. */
  put(i: number, row: ArrayLike<number>): void {
    if (i === this.rows) {
      if ((this.rows + 1) * this.width > this.data.length) {
        const grown = new Float32Array(this.data.length * 2);
        grown.set(this.data);
        this.data = grown;
      }
      this.rows++;
    }
    this.data.set(row, i * this.width);
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

/** Exact per-column mean and population standard deviation over a stream of rows (Welford). */
class ColumnMoments {
  n = 0;
  private readonly m: Float64Array;
  private readonly m2: Float64Array;

  constructor(width: number) {
    this.m = new Float64Array(width);
    this.m2 = new Float64Array(width);
  }

  add(row: ArrayLike<number>): void {
    this.n++;
    for (let j = 0; j < this.m.length; j++) {
      const delta = row[j] - this.m[j];
      this.m[j] += delta / this.n;
      this.m2[j] += delta * (row[j] - this.m[j]);
    }
  }

  mean(): number[] {
    return Array.from(this.m);
  }

  std(): number[] {
    return Array.from(this.m2, (v) => Math.sqrt(v / this.n));
  }
}

function median(values: Float64Array): number {
  const sorted = values.sort();
  const mid = (sorted.length - 1) / 2;
  return (sorted[Math.floor(mid)] + sorted[Math.ceil(mid)]) / 2;
}
