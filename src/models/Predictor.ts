import { calibrateAll, type CalibrationRecord } from './calibration';
import { averageLogits } from './Ensemble';
import { buildModelData, type CourseInput, type ModelData } from './ModelData';
import type { NetworkKind, NetworkModel } from './NetworkModel';
import type { TableSpec } from '../features/featureTable';

/** What a model predicts. */
export type Outcome = 'dropout' | 'completion' | 'certificate';

/** A model's choice of architecture: one network type, or an ensemble of several. */
export type ModelKind = NetworkKind | 'ensemble';

/** Descriptive record stored with a model (for the registry and the model card). */
export interface PredictorInfo {
  outcome: Outcome;
  kind: ModelKind;
  /** Architectures averaged (one for a single-architecture model). */
  members: NetworkKind[];
  /** Course folds: each architecture is trained once per fold, leaving that fold's courses out. */
  folds: number;
  trainCourses: string[];
  trainRows: number;
  trainedAt: string;
  /** Out-of-fold figures on the training courses (calibrated), per architecture and for this model. */
  validation: { auc: number; ece: number; brier: number; perKind: Partial<Record<ModelKind, number>> };
  backend: string;
  seed: number;
}

/**
 * A trained, calibrated model: per architecture, the fold networks' probabilities are averaged on the
 * logit scale, then the architectures are averaged the same way, then the calibration maps the result.
 */
export class Predictor {
  constructor(
    readonly spec: TableSpec,
    readonly networks: ReadonlyMap<NetworkKind, NetworkModel[]>,
    readonly calibration: CalibrationRecord,
    readonly info: PredictorInfo,
  ) {}

  /** Uncalibrated probabilities of the outcome for every row. */
  async predictRaw(data: ModelData): Promise<Float32Array> {
    const perKind: Float32Array[] = [];
    for (const kind of this.info.members) {
      const folds = this.networks.get(kind) ?? [];
      perKind.push(averageLogits(await Promise.all(folds.map((n) => n.predictRaw(data)))));
    }
    return averageLogits(perKind);
  }

  /** Calibrated probabilities of the outcome for every row. */
  async predict(data: ModelData): Promise<Float64Array> {
    return calibrateAll(this.calibration.calibrator, await this.predictRaw(data));
  }

  /**
   * Scores every learner of one course from their daily aggregates (features and course context built with
   * this model's spec; labels, if any, are ignored). Returns probabilities in the course's learner order.
   */
  async predictCourse(course: CourseInput): Promise<Float64Array> {
    return this.predict(buildModelData([course], this.spec));
  }

  /** Frees every network's tensors. */
  dispose(): void {
    for (const folds of this.networks.values()) for (const n of folds) n.dispose();
  }
}
