import type { Command } from 'commander';
import { z } from 'zod';
import { DatasetError } from '../../models/KddDailyDataset';
import { crossValidateKdd, evaluateKddHoldout, type KddEvalResult } from '../../models/kddEvaluation';
import { TrainingDataError } from '../../models/trainer';

const optionsSchema = z
  .object({
    dataset: z.literal('kdd-daily', { message: 'only --dataset kdd-daily is supported' }),
    train: z.string().optional(),
    test: z.string().optional(),
    data: z.string().optional(),
    cvCourses: z.coerce.number().int().min(2, '--cv-courses must be at least 2').optional(),
    model: z.enum(['auto', 'lr', 'mlp', 'lstm', 'cfin', 'ensemble']).default('auto'),
    json: z.boolean().default(false),
    seed: z.coerce.number().int().default(1),
  })
  .refine((o) => (o.train && o.test) || (o.data && o.cvCourses), { message: 'give --train <dir> --test <dir>, or --data <dir> --cv-courses <n>' });

type EvalOptions = z.infer<typeof optionsSchema>;

const fixed = (v: number) => (Number.isFinite(v) ? v.toFixed(4) : String(v));

function summary(label: string, r: KddEvalResult): string {
  const candidates = Object.entries(r.validation)
    .map(([k, c]) => `${k} ${fixed(c!.auc)}`)
    .join(', ');
  return [
    `${label}model ${r.model} (${r.members.join('+')}) on ${r.backend}: trained on ${r.coursesTrain} courses / ${r.enrollmentsTrain} enrollments in ${r.trainSeconds.toFixed(1)} s`,
    `${label}  out-of-fold AUC on training courses: ${candidates}`,
    `${label}  test ${r.coursesTest} courses / ${r.enrollmentsTest} enrollments: AUC ${fixed(r.auc)} (per-course mean ${fixed(r.aucMeanPerCourse)}), Brier ${fixed(r.brier)}, ECE ${fixed(r.ece)}, F1 ${fixed(r.f1)}`,
  ].join('\n');
}

/** The JSON line's view of a result (no per-candidate detail beyond AUC). */
function jsonResult(r: KddEvalResult) {
  const { validation, ...rest } = r;
  return { ...rest, validationAuc: Object.fromEntries(Object.entries(validation).map(([k, c]) => [k, c!.auc])) };
}

async function run(raw: Record<string, unknown>): Promise<void> {
  const parsed = optionsSchema.safeParse(raw);
  if (!parsed.success) {
    process.stderr.write(`keepup eval: ${parsed.error.issues.map((i) => i.message).join('; ')}\n`);
    process.exitCode = 2;
    return;
  }
  const options: EvalOptions = parsed.data;
  const onProgress = (message: string) => process.stderr.write(`${message}\n`);
  try {
    if (options.train && options.test) {
      const result = await evaluateKddHoldout(options.train, options.test, { model: options.model, seed: options.seed, onProgress });
      process.stdout.write(`${summary('', result)}\n`);
      if (options.json) process.stdout.write(`${JSON.stringify(jsonResult(result))}\n`);
      return;
    }
    const cv = await crossValidateKdd(options.data!, options.cvCourses!, { model: options.model, seed: options.seed, onProgress });
    cv.folds.forEach((fold, i) => process.stdout.write(`${summary(`fold ${i + 1}: `, fold)}\n`));
    process.stdout.write(`mean over ${cv.folds.length} folds: AUC ${fixed(cv.mean.auc)}, per-course AUC ${fixed(cv.mean.aucMeanPerCourse)}, Brier ${fixed(cv.mean.brier)}, ECE ${fixed(cv.mean.ece)}\n`);
    if (options.json) process.stdout.write(`${JSON.stringify({ ...cv.mean, model: options.model, folds: cv.folds.map(jsonResult) })}\n`);
  } catch (error) {
    if (error instanceof DatasetError || error instanceof TrainingDataError) {
      process.stderr.write(`keepup eval: ${error.message}\n`);
      process.exitCode = 1;
      return;
    }
    throw error;
  }
}

/** `keepup eval`: trains on whole courses and evaluates on other whole courses (or course-grouped CV). */
export function register(program: Command): void {
  program
    .command('eval')
    .description('evaluate the prediction models on held-out courses (KDD Cup 2015 daily data)')
    .requiredOption('--dataset <name>', 'data set format: kdd-daily')
    .option('--train <dir>', 'folder of course_*.csv (+ labels.csv) to train on')
    .option('--test <dir>', 'folder of course_*.csv to test on (labels.csv here or in --train)')
    .option('--data <dir>', 'folder for course-grouped cross-validation')
    .option('--cv-courses <n>', 'number of course folds for cross-validation')
    .option('--model <kind>', 'auto | lr | mlp | lstm | cfin | ensemble', 'auto')
    .option('--json', 'print one JSON object with the figures as the last line')
    .option('--seed <n>', 'random seed', '1')
    .action(run);
}
