import { Command } from 'commander';
import { SingleBar } from 'cli-progress';
import { generateCourse } from '../../generator/generateCourse';
import { DESIGN_PRESETS } from '../../generator/designPresets';
import { GenerateOptions, PlantedEffectOptions, resolveOptions } from '../../generator/options';

interface GenerateFlags {
  platform: string;
  learners: string;
  weeks: string;
  seed: string;
  out: string;
  courseId?: string;
  start?: string;
  asOf?: string;
  design?: string;
  title?: string;
  timeZone?: string;
  archetypeMix?: string;
  plantEffect?: string;
  xapi: boolean;
  json?: boolean;
}

/** `keepup generate course`: writes a synthetic course (activity, roster, ground truth) to a folder. */
export function register(program: Command): void {
  const generate = program.command('generate').description('generate synthetic data for tests, benchmarks and the demo');
  generate
    .command('course')
    .description('generate a synthetic course: activity logs, roster and ground-truth outcomes (see docs/generator.md)')
    .requiredOption('--platform <platform>', 'openedx or canvas')
    .requiredOption('--learners <n>', 'number of learners')
    .requiredOption('--weeks <w>', 'course length in weeks')
    .requiredOption('--seed <seed>', 'seed: same seed and options give byte-identical output')
    .requiredOption('--out <dir>', 'output folder')
    .option('--course-id <id>', 'Open edX course key course-v1:Org+Number+Run')
    .option('--start <date>', 'course start date YYYY-MM-DD (UTC)', '2025-02-03')
    .option('--as-of <date>', 'write only activity before this date (an in-progress course; openedx only)')
    .option('--design <preset>', `course design preset: ${DESIGN_PRESETS.join(', ')} (default drawn from the seed)`)
    .option('--title <title>', 'course title')
    .option('--time-zone <tz>', 'course time zone (IANA)')
    .option('--archetype-mix <weights>', 'comma-separated weights for hard_worker,social,reviser,sampler,fading,struggler')
    .option('--plant-effect <spec>', 'plant an experiment effect, e.g. "video=1.3,problems=1.2,activity=1.1,correct=0.3,from-week=2,share=0.5,salt=exp1"')
    .option('--no-xapi', 'do not write xapi.jsonl.gz (openedx)')
    .option('--json', 'print the summary as one JSON line')
    .action(async (flags: GenerateFlags, command: Command) => {
      let options: GenerateOptions;
      try {
        options = toOptions(flags);
        resolveOptions(options);
      } catch (error) {
        command.error(`keepup generate course: ${(error as Error).message}`, { exitCode: 2, code: 'keepup.usage' });
      }
      const bar = process.stderr.isTTY && !flags.json ? new SingleBar({ format: 'learners [{bar}] {value}/{total} {eta_formatted}', stream: process.stderr }) : undefined;
      bar?.start(Number(flags.learners), 0);
      try {
        const summary = await generateCourse(options, { onProgress: (done) => bar?.update(done) });
        bar?.stop();
        if (flags.json) process.stdout.write(`${JSON.stringify(summary)}\n`);
        else process.stdout.write(describe(summary));
      } catch (error) {
        bar?.stop();
        throw new Error(`generate course failed: ${(error as Error).message}`);
      }
    });
}

function toOptions(flags: GenerateFlags): GenerateOptions {
  const integer = (name: string, value: string) => {
    if (!/^-?\d+$/.test(value)) throw new Error(`--${name} must be an integer, got "${value}"`);
    return Number(value);
  };
  return {
    platform: flags.platform as GenerateOptions['platform'],
    learners: integer('learners', flags.learners),
    weeks: integer('weeks', flags.weeks),
    seed: /^-?\d+$/.test(flags.seed) ? Number(flags.seed) : flags.seed,
    out: flags.out,
    courseId: flags.courseId,
    start: flags.start,
    asOf: flags.asOf,
    design: flags.design as GenerateOptions['design'],
    title: flags.title,
    timeZone: flags.timeZone,
    archetypeMix: flags.archetypeMix?.split(',').map((w) => Number(w.trim())),
    effect: flags.plantEffect ? parseEffect(flags.plantEffect) : undefined,
    xapi: flags.xapi,
  };
}

/** Parses `key=value,...` for --plant-effect. */
export function parseEffect(spec: string): PlantedEffectOptions {
  const effect: Record<string, number | string> = {};
  const keys: Record<string, string> = { video: 'video', problems: 'problems', activity: 'activity', correct: 'correct', 'from-week': 'fromWeek', share: 'share', salt: 'salt' };
  for (const part of spec.split(',')) {
    const [rawKey, value] = part.split('=').map((s) => s.trim());
    const key = keys[rawKey];
    if (!key || value === undefined || value === '') throw new Error(`--plant-effect: unknown or empty "${part}" (keys: ${Object.keys(keys).join(', ')})`);
    if (key === 'salt') effect.salt = value;
    else if (Number.isFinite(Number(value))) effect[key] = Number(value);
    else throw new Error(`--plant-effect: ${rawKey} must be a number, got "${value}"`);
  }
  return effect as PlantedEffectOptions;
}

function describe(summary: Awaited<ReturnType<typeof generateCourse>>): string {
  const files = Object.entries(summary.files).map(([name, n]) => `  ${name}: ${n}`).join('\n');
  return (
    `Generated ${summary.platform} course ${summary.courseId} (${summary.design}) with ${summary.learners} learners over ${summary.weeks} weeks in ${summary.out}\n` +
    `${files}\n` +
    `dropout ${summary.rates.dropout}, completion ${summary.rates.completion}, certificate ${summary.rates.certificate}; ${summary.activityRecords} activity records in ${(summary.durationMs / 1000).toFixed(1)} s\n`
  );
}
