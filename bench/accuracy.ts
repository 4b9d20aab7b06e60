/**
 * `npm run bench:accuracy`: every model type side by side on a fixed course-held-out split of the
 * KDD Cup 2015 daily data (every fifth course, starting with the third in sorted order, is held out:
 * 1187A, 1476, 2055, 3005, 973). All candidates come from one course-fold training run on the other
 * 18 courses, each calibrated on its own out-of-fold predictions. Last line: one JSON object.
 */
import path from 'node:path';
import { initBackend } from '../src/models/backend';
import { evaluatePredictor } from '../src/models/evaluate';
import { KDD_TABLE_SPEC, kddCourseInputs, loadKddDaily } from '../src/models/KddDailyDataset';
import { buildModelData, courseIds, selectCourses } from '../src/models/ModelData';
import { trainPredictor } from '../src/models/trainer';

/** The data folder: KDD_DAILY_DIR, else the shared data next to the repository. */
const DATA = process.env.KDD_DAILY_DIR ?? path.resolve(__dirname, '..', '..', '..', 'shared', 'data', 'kddcup2015');

async function main(): Promise<void> {
  const backend = await initBackend();
  const started = Date.now();
  const { courses } = loadKddDaily(DATA);
  const data = buildModelData(kddCourseInputs(courses), KDD_TABLE_SPEC);
  const ids = courseIds(data).sort();
  const testIds = ids.filter((_, i) => i % 5 === 2);
  const train = selectCourses(data, ids.filter((id) => !testIds.includes(id)));
  const test = selectCourses(data, testIds);
  const { predictor, alternatives, report } = await trainPredictor(train, KDD_TABLE_SPEC, {
    kind: 'auto',
    keepCandidates: true,
    onProgress: (m) => process.stderr.write(`${m}\n`),
  });
  const models: Record<string, { auc: number; aucMeanPerCourse: number; ece: number; brier: number; f1: number; validationAuc: number; trainSeconds: number }> = {};
  for (const [kind, candidate] of alternatives!) {
    const scores = await evaluatePredictor(candidate, test);
    const seconds = kind === 'ensemble' ? candidate.info.members.reduce((s, k) => s + report.candidates[k]!.seconds, 0) : report.candidates[kind]!.seconds;
    models[kind] = { auc: scores.auc, aucMeanPerCourse: scores.aucMeanPerCourse, ece: scores.ece, brier: scores.brier, f1: scores.f1, validationAuc: report.candidates[kind]!.auc, trainSeconds: seconds };
    const label = kind === 'ensemble' ? `ensemble(${candidate.info.members.join('+')})` : kind;
    process.stdout.write(
      `${label.padEnd(24)} test AUC ${scores.auc.toFixed(4)}  per-course ${scores.aucMeanPerCourse.toFixed(4)}  ECE ${scores.ece.toFixed(4)}  Brier ${scores.brier.toFixed(4)}  F1 ${scores.f1.toFixed(4)}  (out-of-fold AUC ${report.candidates[kind]!.auc.toFixed(4)}, ${seconds.toFixed(0)} s)\n`,
    );
  }
  for (const candidate of alternatives!.values()) candidate.dispose();
  predictor.dispose();
  const result = {
    benchmark: 'accuracy',
    dataset: 'kddcup2015-daily',
    backend,
    split: { trainCourses: courseIds(train).length, testCourses: testIds, enrollmentsTrain: train.rows, enrollmentsTest: test.rows },
    chosen: report.chosen,
    ensembleMembers: alternatives!.get('ensemble')?.info.members,
    models,
    baseline: { model: 'lr', ...models.lr },
    totalSeconds: (Date.now() - started) / 1000,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

main().catch((error) => {
  process.stderr.write(`bench:accuracy failed: ${(error as Error).stack ?? error}\n`);
  process.exit(1);
});
