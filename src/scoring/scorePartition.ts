import { Types } from 'mongoose';
import type { Outcome, Predictor } from '../models/Predictor';
import { FeatureChunk } from '../storage/models/FeatureChunk';
import type { NightlyRunDoc } from '../storage/models/NightlyRun';
import { packFactors, Score } from '../storage/models/Score';
import { readAhead } from '../storage/readAhead';
import { explain, FACTOR_GROUPS, type Factor } from './explanations';
import { unpackFeatureChunk, type StoredLearner } from './featureChunks';
import { InsertOnceWriter } from '../storage/insertOnce';
import { modelData, modelDataWithOcclusions, type RawRow } from './modelInputs';
import type { LearnerPartition } from './partitionLearners';
import { medianRow, type RunPopulation } from './populationStep';
import { heartbeat, recordPart } from './runState';
import { whatIfEstimate } from './whatIf';

/** The three models a run scores with, and their registry versions. */
export type OutcomeModels = Record<Outcome, { version: string; predictor: Predictor }>;

export const OUTCOME_ORDER: Outcome[] = ['dropout', 'completion', 'certificate'];

/** Score documents per insert batch. */
const WRITE_BATCH = 1000;
const GROUPS = FACTOR_GROUPS.length;

/** Sums a partition reports for the run summary (means and the course-level "what would help"). */
export interface PartitionSums {
  n: number;
  dropout: number;
  completion: number;
  certificate: number;
  video: number;
  problem: number;
}

/**
 * Score step for one partition: reads the partition's feature chunks (by equality on the partition, so FerretDB
 * decodes only this partition's few documents) and per chunk of learners runs each outcome model on the
 * learners' inputs and on the inputs with each factor group set to the course median learner's (the
 * attribution), plus the certificate model on the two "what would help" variants; then inserts one Score per
 * learner. Insert-once under the unique (course, runDate, learner) index: a resumed partition never scores a
 * learner twice.
 */
export async function scorePartition(run: NightlyRunDoc, index: number, population: RunPopulation, models: OutcomeModels): Promise<PartitionSums> {
  const partition = run.partitions[index] as LearnerPartition;
  if (!partition) throw new Error(`run ${run._id} has no partition ${index}`);
  // One chunk read ahead: FerretDB decodes the next chunk while this one is predicted.
  const cursor = readAhead(FeatureChunk.collection.find({ c: run.courseId, r: run.runDate, pt: index }, { projection: { n: 1, l: 1, w: 1, a: 1, x: 1 } }).batchSize(2), 2);
  const sums: PartitionSums = { n: 0, dropout: 0, completion: 0, certificate: 0, video: 0, problem: 0 };
  const median = medianRow(population);
  const writer = new InsertOnceWriter(Score.collection, WRITE_BATCH);
  for await (const doc of cursor) {
    await writer.add(await scoreChunk(run, unpackFeatureChunk(doc), population, median, models, sums));
    await heartbeat(run._id);
  }
  await writer.flush();
  const { n, ...totals } = sums;
  await recordPart(run._id, 'score', index, n, totals);
  return sums;
}

async function scoreChunk(run: NightlyRunDoc, chunk: StoredLearner[], population: RunPopulation, median: RawRow, models: OutcomeModels, sums: PartitionSums) {
  const data = modelDataWithOcclusions(
    chunk.map((l) => l.inputs.actual),
    median,
    FACTOR_GROUPS,
    population.stats,
  );
  const predictions = {} as Record<Outcome, Float64Array>;
  for (const outcome of OUTCOME_ORDER) predictions[outcome] = await models[outcome].predictor.predict(data);
  const variants = modelData(chunk.flatMap((l) => [l.inputs.plusVideoHour, l.inputs.plusProblem]), population.stats);
  const certificateVariants = await models.certificate.predictor.predict(variants);
  const certificateAuc = models.certificate.predictor.info.validation.auc;
  const now = new Date();
  return chunk.map((learner, i) => {
    const at = i * (GROUPS + 1);
    const probability = (outcome: Outcome) => predictions[outcome][at];
    const factors: Factor[] = OUTCOME_ORDER.flatMap((outcome) =>
      explain(outcome, probability(outcome), Array.from(predictions[outcome].subarray(at + 1, at + 1 + GROUPS)), learner.inputs.actual, median),
    );
    const whatIf = whatIfEstimate(probability('certificate'), certificateVariants[2 * i], certificateVariants[2 * i + 1], { modelAuc: certificateAuc, windowDays: learner.window.end - learner.window.start + 1 });
    sums.n++;
    sums.dropout += probability('dropout');
    sums.completion += probability('completion');
    sums.certificate += probability('certificate');
    sums.video += whatIf.certificatePerVideoHour;
    sums.problem += whatIf.certificatePerProblem;
    const [lastActive, activeDays, lastWeekMinutes, lastWeekProblems, lastWeekVideoMinutes, totalMinutes] = learner.activity;
    return {
      courseId: new Types.ObjectId(run.courseId),
      learnerId: new Types.ObjectId(learner.learnerId),
      runDate: run.runDate,
      dropout: round4(probability('dropout')),
      completion: round4(probability('completion')),
      certificate: round4(probability('certificate')),
      modelVersions: { dropout: models.dropout.version, completion: models.completion.version, certificate: models.certificate.version },
      factors: packFactors(factors),
      whatIf,
      activity: { lastActiveAt: lastActive >= 0 ? new Date(lastActive) : undefined, activeDays, lastWeekMinutes, lastWeekProblems, lastWeekVideoMinutes, totalMinutes },
      createdAt: now,
      updatedAt: now,
    };
  });
}

const round4 = (x: number) => Math.round(x * 10000) / 10000;
