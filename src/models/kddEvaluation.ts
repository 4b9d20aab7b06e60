import { initBackend } from './backend';
import { evaluatePredictor, type EvaluationScores } from './evaluate';
import { KDD_TABLE_SPEC, kddCourseInputs, loadKddDaily } from './KddDailyDataset';
import { buildModelData, selectCourses, type ModelData } from './ModelData';
import type { ModelKind } from './Predictor';
import { courseFolds, trainPredictor, type TrainReport } from './trainer';

/** Options shared by the KDD evaluations. */
export interface KddEvalOptions {
  model?: ModelKind | 'auto';
  seed?: number;
  onProgress?: (message: string) => void;
}

/** The result of training on some courses and testing on others. */
export interface KddEvalResult extends Omit<EvaluationScores, 'perCourse'> {
  model: ModelKind;
  members: string[];
  trainSeconds: number;
  enrollmentsTrain: number;
  enrollmentsTest: number;
  coursesTrain: number;
  coursesTest: number;
  backend: string;
  validation: TrainReport['candidates'];
  perCourse: EvaluationScores['perCourse'];
}

function loadData(dir: string, labelsDir?: string): ModelData {
  const { courses } = loadKddDaily(dir, labelsDir);
  return buildModelData(kddCourseInputs(courses), KDD_TABLE_SPEC);
}

/** Trains on every course in `trainDir` and evaluates on every course in `testDir` (labels.csv may sit in either). */
export async function evaluateKddHoldout(trainDir: string, testDir: string, options: KddEvalOptions = {}): Promise<KddEvalResult> {
  const backend = await initBackend();
  const train = loadData(trainDir, testDir);
  const test = loadData(testDir, trainDir);
  const overlap = new Set(train.courses).size + new Set(test.courses).size - new Set([...train.courses, ...test.courses]).size;
  if (overlap > 0) options.onProgress?.(`warning: ${overlap} course(s) are in both the training and the test folder`);
  return trainAndScore(train, test, backend, options);
}

/** Course-grouped cross-validation over one folder: every course is tested once by a model that never saw it. */
export async function crossValidateKdd(dataDir: string, folds: number, options: KddEvalOptions = {}): Promise<{ folds: KddEvalResult[]; mean: Record<string, number> }> {
  const backend = await initBackend();
  const data = loadData(dataDir);
  const groups = courseFolds(data, folds, (options.seed ?? 1) + 7);
  const results: KddEvalResult[] = [];
  for (const [i, held] of groups.entries()) {
    options.onProgress?.(`fold ${i + 1}/${groups.length}: testing on ${held.join(', ')}`);
    const train = selectCourses(data, [...new Set(data.courses)].filter((c) => !held.includes(c)));
    results.push(await trainAndScore(train, selectCourses(data, held), backend, options));
  }
  const keys = ['auc', 'aucMeanPerCourse', 'brier', 'ece', 'f1', 'logLoss', 'trainSeconds'] as const;
  const mean = Object.fromEntries(keys.map((k) => [k, results.reduce((s, r) => s + r[k], 0) / results.length]));
  return { folds: results, mean };
}

async function trainAndScore(train: ModelData, test: ModelData, backend: string, options: KddEvalOptions): Promise<KddEvalResult> {
  const { predictor, report } = await trainPredictor(train, KDD_TABLE_SPEC, { kind: options.model ?? 'auto', seed: options.seed, onProgress: options.onProgress });
  try {
    const scores = await evaluatePredictor(predictor, test);
    return {
      ...scores,
      model: report.chosen,
      members: report.members,
      trainSeconds: report.seconds,
      enrollmentsTrain: train.rows,
      enrollmentsTest: test.rows,
      coursesTrain: new Set(train.courses).size,
      coursesTest: new Set(test.courses).size,
      backend,
      validation: report.candidates,
    };
  } finally {
    predictor.dispose();
  }
}
