import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { generateCourse } from '../src/generator';
import { initBackend } from '../src/models/backend';
import { buildModelData } from '../src/models/ModelData';
import type { ModelKind, Outcome } from '../src/models/Predictor';
import { serializePredictor } from '../src/models/serialize';
import { trainPredictor } from '../src/models/trainer';
import { defaultModelDir, defaultModelPath, OUTCOMES } from '../src/registry/defaultModels';
import { loadGeneratedCourse, snapshotInput, type GeneratedCourseData } from '../src/scoring/generatedCourseData';
import { SCORING_SPEC } from '../src/scoring/scoringSpec';

/**
 * Trains the default models shipped in models/default/: generated Open edX courses of every design,
 * snapshots every two weeks as the nightly run would featurize them, course-grouped folds (snapshots of a
 * course stay in one fold), calibrated on the out-of-fold predictions. Usage:
 *   node dist/scripts/trainDefaultModel.js [--courses 6] [--learners 1500] [--kind mlp] [--outcomes completion,certificate] [--out models/default]
 * With --outcomes, only those models are retrained; training.json keeps the other outcomes' entries.
 */
async function main(): Promise<void> {
  const opts = new Command()
    .option('--courses <n>', 'generated courses', (v) => Number.parseInt(v, 10), 6)
    .option('--learners <n>', 'learners per course', (v) => Number.parseInt(v, 10), 1500)
    .option('--kind <kind>', 'architecture: lr, mlp, lstm, cfin, ensemble, auto', 'mlp')
    .option('--seed <n>', 'seed', (v) => Number.parseInt(v, 10), 1)
    .option('--outcomes <list>', 'comma-separated outcomes to train', (v) => parseOutcomes(v), OUTCOMES)
    .option('--out <dir>', 'output folder', defaultModelDir())
    .parse()
    .opts<{ courses: number; learners: number; kind: ModelKind | 'auto'; seed: number; outcomes: Outcome[]; out: string }>();
  const backend = await initBackend();
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'keepup-default-model-'));
  const designs = ['balanced', 'video-lecture', 'assessment-heavy', 'interactive', 'self-paced'] as const;
  const courses: GeneratedCourseData[] = [];
  try {
    for (let c = 0; c < opts.courses; c++) {
      const out = path.join(work, `course${c}`);
      await generateCourse({ platform: 'openedx', learners: opts.learners, weeks: 6 + (c % 3) * 2, seed: `default-model-${opts.seed}-${c}`, out, design: designs[c % designs.length], xapi: false });
      courses.push(await loadGeneratedCourse(out));
      console.error(`generated course ${c + 1}/${opts.courses}`);
    }
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
  fs.mkdirSync(opts.out, { recursive: true });
  const summaryPath = path.join(opts.out, 'training.json');
  const previous = fs.existsSync(summaryPath) ? (JSON.parse(fs.readFileSync(summaryPath, 'utf8')) as Record<string, unknown>) : {};
  const summary: Record<string, unknown> = { ...previous, backend, kind: opts.kind, courses: opts.courses, learnersPerCourse: opts.learners, spec: SCORING_SPEC };
  for (const outcome of opts.outcomes) {
    const inputs = courses.flatMap((course) => {
      const snapshots: number[] = [];
      for (let week = 1; week < course.weeks; week += 2) snapshots.push(course.startDay + week * 7 - 1);
      return snapshots.map((asOf) => snapshotInput(course, asOf, outcome));
    });
    const data = buildModelData(inputs, SCORING_SPEC);
    const { predictor, report } = await trainPredictor(data, SCORING_SPEC, { kind: opts.kind, outcome, folds: 3, seed: opts.seed, onProgress: (m) => console.error(`${outcome}: ${m}`) });
    fs.writeFileSync(defaultModelPath(outcome, opts.out), await serializePredictor(predictor));
    summary[outcome] = { kind: opts.kind, courses: opts.courses, learnersPerCourse: opts.learners, trainedAt: predictor.info.trainedAt, rows: data.rows, chosen: report.chosen, members: report.members, validation: predictor.info.validation, seconds: report.seconds };
    predictor.dispose();
  }
  fs.writeFileSync(summaryPath, JSON.stringify(summary, null, 2) + '\n');
  console.log(JSON.stringify(summary));
}

/** Parses `--outcomes`: a comma-separated subset of the three outcomes. */
function parseOutcomes(value: string): Outcome[] {
  const list = value.split(',').map((v) => v.trim());
  const unknown = list.filter((v) => !(OUTCOMES as string[]).includes(v));
  if (unknown.length > 0 || list.length === 0) throw new Error(`--outcomes takes ${OUTCOMES.join(', ')}; got ${value}`);
  return list as Outcome[];
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
