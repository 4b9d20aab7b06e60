// Wire shape of the dashboard's model card, shared by the server route and the bundled browser client
// (types only: nothing here may have a runtime value).

/** One bin of a reliability diagram: calibrated predictions in [lower, upper) on the validation rows. */
export interface ReliabilityBinView {
  lower: number;
  upper: number;
  count: number;
  meanPredicted: number;
  observedRate: number;
}

/** Validation figures of the model version that scored one outcome; null where the version does not record them. */
export interface ModelCardOutcome {
  outcome: string;
  version: string;
  auc: number | null;
  brier: number | null;
  /** Expected calibration error (15 equal-width bins). */
  ece: number | null;
  validationRows: number | null;
  /** Empty when the version records no reliability diagram. */
  reliability: ReliabilityBinView[];
  trainedAt: string | Date | null;
}

/** The model card of a course: freshness of its last scored run and the quality of the models behind it. */
export interface ModelCardView {
  status: 'ready' | 'not_enough_data';
  reason: string | null;
  lastRunDate: string | null;
  scoredAt?: string | Date | null;
  learners: number;
  latestActivityAt?: string | Date | null;
  outcomes?: ModelCardOutcome[];
}
