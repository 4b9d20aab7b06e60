// Wire shapes of the dashboard's columnar endpoints, shared by the server routes and the bundled browser client
// (views/client/dashboard.ts imports these as types only, so nothing here may have a runtime value).

/**
 * One nightly run of a course as columns (one array per field, row i is the same learner in every array).
 * `runDate` is null when the course has no scored run yet.
 */
export interface RunColumns {
  courseId: string;
  runDate: string | null;
  n: number;
  /** Probabilities are integers in 1/scale (thousandths). */
  scale: number;
  learnerId: string[];
  dropout: number[];
  completion: number[];
  certificate: number[];
  /** Whole days since last activity at the run, -1 when never active. */
  inactiveDays: number[];
  lastWeekMinutes: number[];
}

/** One behaviour cluster of the course's latest clustering, as the dashboard's cluster filter lists it. */
export interface ClusterOption {
  label: string;
  description: string;
  size: number;
  dropoutRate: number;
}

/** The latest clustering: its clusters and, as columns, each clustered learner's id and index into `clusters`. */
export interface ClusterColumns {
  runDate: string | null;
  clusters: ClusterOption[];
  learnerId: string[];
  cluster: number[];
}
