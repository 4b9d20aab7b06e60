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
  const bases: Float32Array[] = [];
  const sequenceColumns = Array.from({ length: SEQUENCE_WIDTH }, () => [] as number[]);
  for await (const doc of FeatureChunk.collection.find({ c: run.courseId, r: run.runDate }, { projection: { n: 1, x: 1 } }).batchSize(8)) {
    for (const { actual } of chunkInputs(doc)) {
      bases.push(Float32Array.from(actual.base));
      for (let k = 0; k < SEQUENCE_WIDTH; k++) sequenceColumns[k].push(actual.sequence[k]);
    }
  }
  if (bases.length === 0) {
    const empty: RunPopulation = { stats: populationStats([new Float32Array(BASE_WIDTH)], SAMPLE), median: { base: new Array(BASE_WIDTH).fill(0), sequence: new Array(SEQUENCE_WIDTH).fill(0) } };
    await finishStep(run._id, 'features', 'done', 'no learners', { population: JSON.stringify(empty) });
    return empty;
  }
  const stats = populationStats(bases, SAMPLE);
  const population: RunPopulation = { stats, median: { base: stats.median, sequence: sequenceColumns.map(median) } };
  await finishStep(run._id, 'features', 'done', `${bases.length} learners featurized`, { population: JSON.stringify(population) });
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

function median(values: number[]): number {
  const sorted = Float64Array.from(values).sort();
  const mid = (sorted.length - 1) / 2;
  return (sorted[Math.floor(mid)] + sorted[Math.ceil(mid)]) / 2;
}
