/**
 * Fast accuracy experiment for feature and model work (a couple of minutes, not the full bench):
 * course-held-out splits of the KDD daily data (test = courses with sorted index ≡ a mod 5, validation ≡ b,
 * the rest train), each listed network trained once per split with early stopping on the validation
 * courses, Platt-calibrated there, then scored on the test courses; also the logit average of all listed
 * networks. Usage: node dist/bench/accuracyQuick.js [--kinds lr,mlp] [--splits 3] [--epochs N] [--unweighted]
 * Last line: one JSON object (per kind, the pooled test AUC per split and the mean; lr is the baseline).
 */
import path from 'node:path';
import { initBackend } from '../src/models/backend';
import { calibrateAll, fitPlatt } from '../src/models/calibration';
import { averageLogits } from '../src/models/Ensemble';
import { evaluateProbabilities } from '../src/models/evaluate';
import { KDD_TABLE_SPEC, kddCourseInputs, loadKddDaily } from '../src/models/KddDailyDataset';
import { buildModelData, courseIds, selectCourses } from '../src/models/ModelData';
import type { NetworkKind } from '../src/models/NetworkModel';
import { createNetwork } from '../src/models/networks';

const DATA = process.env.KDD_DAILY_DIR ?? path.resolve(__dirname, '..', '..', '..', 'shared', 'data', 'kddcup2015');
const SPLITS: [number, number][] = [
  [2, 4],
  [0, 1],
  [3, 0],
];

function argument(name: string, fallback: string): string {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 && process.argv[at + 1] ? process.argv[at + 1] : fallback;
}

async function main(): Promise<void> {
  await initBackend();
  const kinds = argument('kinds', 'lr').split(',') as NetworkKind[];
  const splits = SPLITS.slice(0, Number(argument('splits', '3')));
  const epochs = process.argv.includes('--epochs') ? Number(argument('epochs', '0')) : undefined;
  const balanceClasses = !process.argv.includes('--unweighted');
  const started = Date.now();
  const data = buildModelData(kddCourseInputs(loadKddDaily(DATA).courses), KDD_TABLE_SPEC);
  process.stderr.write(`features: ${data.rows} rows x ${data.width} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  const ids = courseIds(data).sort();
  const results: Record<string, { auc: number[]; perCourse: number[]; ece: number[] }> = {};
  const record = (name: string, scores: { auc: number; aucMeanPerCourse: number; ece: number }) => {
    const r = (results[name] ??= { auc: [], perCourse: [], ece: [] });
    r.auc.push(scores.auc);
    r.perCourse.push(scores.aucMeanPerCourse);
    r.ece.push(scores.ece);
  };
  for (const [a, b] of splits) {
    const testIds = ids.filter((_, i) => i % 5 === a);
    const validationIds = ids.filter((_, i) => i % 5 === b);
    const train = selectCourses(data, ids.filter((id) => !testIds.includes(id) && !validationIds.includes(id)));
    const validation = selectCourses(data, validationIds);
    const test = selectCourses(data, testIds);
    const rawValidation: Float32Array[] = [];
    const rawTest: Float32Array[] = [];
    for (const kind of kinds) {
      const kindStarted = Date.now();
      const network = createNetwork(kind, KDD_TABLE_SPEC);
      await network.fit(train, validation, { seed: 1, epochs, balanceClasses });
      rawValidation.push(await network.predictRaw(validation));
      rawTest.push(await network.predictRaw(test));
      network.dispose();
      const scores = evaluateProbabilities(calibrateAll(fitPlatt(rawValidation.at(-1)!, validation.labels), rawTest.at(-1)!), test);
      record(kind, scores);
      process.stderr.write(`split ${a}/${b} ${kind}: AUC ${scores.auc.toFixed(4)} per-course ${scores.aucMeanPerCourse.toFixed(4)} ECE ${scores.ece.toFixed(4)} (${((Date.now() - kindStarted) / 1000).toFixed(0)} s)\n`);
    }
    if (kinds.length > 1) {
      const scores = evaluateProbabilities(calibrateAll(fitPlatt(averageLogits(rawValidation), validation.labels), averageLogits(rawTest)), test);
      record('average', scores);
      process.stderr.write(`split ${a}/${b} average: AUC ${scores.auc.toFixed(4)} per-course ${scores.aucMeanPerCourse.toFixed(4)} ECE ${scores.ece.toFixed(4)}\n`);
    }
  }
  const mean = (v: number[]) => v.reduce((s, x) => s + x, 0) / v.length;
  const summary = Object.fromEntries(Object.entries(results).map(([k, r]) => [k, { auc: r.auc, meanAuc: mean(r.auc), meanPerCourse: mean(r.perCourse), meanEce: mean(r.ece) }]));
  for (const [k, s] of Object.entries(summary)) process.stdout.write(`${k.padEnd(10)} ${s.auc.map((v) => v.toFixed(4)).join('  ')}  mean ${s.meanAuc.toFixed(4)}  per-course ${s.meanPerCourse.toFixed(4)}  ECE ${s.meanEce.toFixed(4)}\n`);
  process.stdout.write(`${JSON.stringify({ benchmark: 'accuracyQuick', splits, models: summary, baseline: summary.lr ?? null, seconds: (Date.now() - started) / 1000 })}\n`);
}

main().catch((error) => {
  process.stderr.write(`accuracyQuick failed: ${(error as Error).stack ?? error}\n`);
  process.exit(1);
});
