import { getBackend } from '@tensorflow/tfjs';
import { calibrateAll, fitCalibration } from './calibration';
import { averageLogits, selectMembers } from './Ensemble';
import { score, type Scores } from './metrics';
import { courseIds, selectCourses, type ModelData } from './ModelData';
import type { NetworkKind, NetworkModel, TrainOptions } from './NetworkModel';
import { createNetwork, NETWORK_KINDS } from './networks';
import { Predictor, type ModelKind, type Outcome } from './Predictor';
import { permutation, seededRandom } from './random';
import type { TableSpec } from '../features/featureTable';

/** How to train a predictor. */
export interface TrainPredictorOptions {
  /** Architecture, `ensemble` (greedy selection over all), or `auto` (best out-of-fold AUC among all of those). Default auto. */
  kind?: ModelKind | 'auto';
  /** Default dropout. */
  outcome?: Outcome;
  /** Course folds for out-of-fold validation and fold bagging (default 3; at most the number of courses). */
  folds?: number;
  /** Default 1. */
  seed?: number;
  /** Calibration fitted on the out-of-fold predictions (default platt). */
  calibration?: 'platt' | 'isotonic';
  /** Training settings per architecture (epochs, learning rate ...). */
  training?: Partial<Record<NetworkKind, TrainOptions>>;
  /** Also return a calibrated predictor per candidate (sharing networks; for benchmarks). Default false. */
  keepCandidates?: boolean;
  /** Progress lines for a CLI or job log. */
  onProgress?: (message: string) => void;
}

/** Out-of-fold figures of one candidate. */
export interface CandidateReport extends Scores {
  seconds: number;
}

/** What training measured: per candidate out-of-fold figures, the choice and the time taken. */
export interface TrainReport {
  candidates: Partial<Record<ModelKind, CandidateReport>>;
  chosen: ModelKind;
  members: NetworkKind[];
  seconds: number;
}

/** Thrown when the training data cannot support course-grouped training. */
export class TrainingDataError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TrainingDataError';
  }
}

/**
 * Splits courses into `folds` groups of similar learner counts (largest course first into the
 * lightest fold, ties broken by a seeded shuffle). No course is ever split between folds.
 */
export function courseFolds(data: ModelData, folds: number, seed: number): string[][] {
  const counts = new Map<string, number>();
  for (const c of data.courses) counts.set(c, (counts.get(c) ?? 0) + 1);
  const ids = courseIds(data);
  const shuffled = Array.from(permutation(ids.length, seededRandom(seed)), (i) => ids[i]);
  shuffled.sort((a, b) => counts.get(b)! - counts.get(a)!);
  const groups = Array.from({ length: folds }, () => ({ ids: [] as string[], rows: 0 }));
  for (const id of shuffled) {
    const lightest = groups.reduce((best, g) => (g.rows < best.rows ? g : best));
    lightest.ids.push(id);
    lightest.rows += counts.get(id)!;
  }
  return groups.map((g) => g.ids);
}

/**
 * Trains a calibrated predictor on labelled courses. Each candidate architecture is trained once per
 * course fold (the fold's courses held out for early stopping and out-of-fold predictions); the
 * out-of-fold predictions over all training courses choose the model (for `auto`) and fit its calibration.
 * At prediction time the fold networks are averaged (bagging), so every training course contributes.
 */
export async function trainPredictor(data: ModelData, spec: TableSpec, options: TrainPredictorOptions = {}): Promise<{ predictor: Predictor; report: TrainReport; alternatives?: Map<ModelKind, Predictor> }> {
  const started = Date.now();
  const kind = options.kind ?? 'auto';
  const seed = options.seed ?? 1;
  const progress = options.onProgress ?? (() => undefined);
  const ids = courseIds(data);
  if (ids.length < 2) throw new TrainingDataError(`course-grouped training needs at least 2 courses, got ${ids.length}`);
  if (data.labels.some((v) => v !== 0 && v !== 1)) throw new TrainingDataError('every training row needs a 0/1 label');
  const folds = courseFolds(data, Math.min(options.folds ?? 3, ids.length), seed);
  const kinds: NetworkKind[] = kind === 'auto' || kind === 'ensemble' ? NETWORK_KINDS : [kind];
  const labelsInFoldOrder = new Float32Array(data.rows);
  const foldData = folds.map((held) => ({ validation: selectCourses(data, held), train: selectCourses(data, ids.filter((id) => !held.includes(id))) }));
  let offset = 0;
  for (const f of foldData) {
    labelsInFoldOrder.set(f.validation.labels, offset);
    offset += f.validation.rows;
  }
  const networks = new Map<NetworkKind, NetworkModel[]>();
  const outOfFold = new Map<ModelKind, Float32Array>();
  const candidates: TrainReport['candidates'] = {};
  for (const k of kinds) {
    const kindStarted = Date.now();
    const predictions = new Float32Array(data.rows);
    const trained: NetworkModel[] = [];
    let at = 0;
    for (const [i, f] of foldData.entries()) {
      const network = createNetwork(k, spec);
      await network.fit(f.train, f.validation, { seed: seed + 1000 * i, ...options.training?.[k] });
      predictions.set(await network.predictRaw(f.validation), at);
      at += f.validation.rows;
      trained.push(network);
    }
    networks.set(k, trained);
    outOfFold.set(k, predictions);
    candidates[k] = { ...calibratedScores(predictions, labelsInFoldOrder, options), seconds: (Date.now() - kindStarted) / 1000 };
    progress(`${k}: out-of-fold AUC ${candidates[k]!.auc.toFixed(4)} in ${candidates[k]!.seconds.toFixed(1)} s`);
  }
  let ensembleMembers: NetworkKind[] = kinds;
  if (kinds.length > 1) {
    ensembleMembers = selectMembers(outOfFold as Map<NetworkKind, Float32Array>, labelsInFoldOrder).members;
    const ensemble = averageLogits(ensembleMembers.map((m) => outOfFold.get(m)!));
    outOfFold.set('ensemble', ensemble);
    candidates.ensemble = { ...calibratedScores(ensemble, labelsInFoldOrder, options), seconds: 0 };
    progress(`ensemble of ${ensembleMembers.join('+')}: out-of-fold AUC ${candidates.ensemble.auc.toFixed(4)}`);
  }
  let chosen: ModelKind = kind === 'auto' ? bestCandidate(candidates) : kind;
  const members = chosen === 'ensemble' ? ensembleMembers : [chosen as NetworkKind];
  if (members.length === 1) chosen = members[0];
  const makePredictor = (modelKind: ModelKind, used: NetworkKind[]) => {
    const calibration = fitCalibration(options.calibration ?? 'platt', outOfFold.get(used.length > 1 ? 'ensemble' : used[0])!, labelsInFoldOrder);
    const scores = candidates[modelKind]!;
    return new Predictor(spec, new Map([...networks].filter(([k]) => used.includes(k))), calibration, {
      outcome: options.outcome ?? 'dropout',
      kind: modelKind,
      members: used,
      folds: folds.length,
      trainCourses: ids,
      trainRows: data.rows,
      trainedAt: new Date().toISOString(),
      validation: {
        auc: scores.auc,
        ece: scores.ece,
        brier: scores.brier,
        perKind: Object.fromEntries(Object.entries(candidates).map(([k, c]) => [k, c!.auc])),
      },
      backend: getBackend(),
      seed,
    });
  };
  const predictor = makePredictor(chosen, members);
  let alternatives: Map<ModelKind, Predictor> | undefined;
  if (options.keepCandidates) {
    alternatives = new Map(kinds.map((k) => [k, makePredictor(k, [k])] as [ModelKind, Predictor]));
    if (candidates.ensemble) alternatives.set('ensemble', makePredictor('ensemble', ensembleMembers));
  } else {
    for (const [k, trained] of networks) if (!members.includes(k)) trained.forEach((n) => n.dispose());
  }
  return { predictor, alternatives, report: { candidates, chosen, members, seconds: (Date.now() - started) / 1000 } };
}

function calibratedScores(raw: Float32Array, labels: Float32Array, options: TrainPredictorOptions): Scores {
  const calibration = fitCalibration(options.calibration ?? 'platt', raw, labels);
  return score(calibrateAll(calibration.calibrator, raw), labels);
}

function bestCandidate(candidates: TrainReport['candidates']): ModelKind {
  return (Object.entries(candidates) as [ModelKind, CandidateReport][]).reduce((best, next) => (next[1].auc > best[1].auc ? next : best))[0];
}
