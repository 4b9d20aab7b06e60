import { ARCHETYPES, defaultArchetypeMix } from './archetypes';
import { CourseStructure, ProblemBlock, buildCourseStructure, gradedProblems } from './CourseStructure';
import { DesignEffect, drawDesign } from './designPresets';
import { CourseContext, PlantedEffect, SimulatedLearner, simulateLearner } from './LearnerSimulator';
import { GenerateOptions, ResolvedGenerateOptions, resolveOptions } from './options';
import { Prng, hashString } from './Prng';
import { RosterEntry, buildRosterEntry } from './roster';
import type { WriterLearner } from './writerTypes';

const DAY_MS = 86_400_000;

/** A course ready to simulate learners in: validated options, structure and shared context. */
export interface CoursePlan {
  options: ResolvedGenerateOptions;
  course: CourseStructure;
  context: CourseContext;
  graded: ProblemBlock[];
  effect?: PlantedEffect;
  /** Epoch ms before which activity is written (course end + 1 day when no `asOf`). */
  writeUntil: number;
}

/** One simulated learner with identity, device and actions. */
export interface GeneratedLearner {
  learner: WriterLearner;
  sim: SimulatedLearner;
}

const AGENTS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15',
  'Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0',
  'Mozilla/5.0 (Linux; Android 14; Pixel 7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36',
];

/** Validates options and builds the course everything else is generated from. */
export function buildCoursePlan(input: GenerateOptions): CoursePlan {
  const options = resolveOptions(input);
  const random = new Prng(options.seed, 'course');
  const startAt = Date.parse(`${options.start}T00:00:00Z`);
  const design = { ...drawDesign(random.fork('design'), options.design), ...options.designOverrides };
  const course = buildCourseStructure(random.fork('structure'), {
    platform: options.platform,
    weeks: options.weeks,
    startAt,
    design,
    courseId: options.courseId,
    title: options.title,
    timeZone: options.timeZone,
  });
  const effect = options.effect
    ? { fromAt: startAt + options.effect.fromWeek * 7 * DAY_MS, activity: options.effect.activity, video: options.effect.video, problems: options.effect.problems, correct: options.effect.correct }
    : undefined;
  const writeUntil = options.asOf ? Date.parse(`${options.asOf}T00:00:00Z`) : course.endAt + DAY_MS;
  return { options, course, context: new CourseContext(course, options.designEffect && plantedDesignEffect(options.designEffect)), graded: gradedProblems(course), effect, writeUntil };
}

/** A design effect from options: coefficients not given are 0. */
function plantedDesignEffect(given: NonNullable<ResolvedGenerateOptions['designEffect']>): DesignEffect {
  return {
    channel: given.channel ?? 'dropout',
    interactiveShare: given.interactiveShare ?? 0,
    gradedShare: given.gradedShare ?? 0,
    videoShare: given.videoShare ?? 0,
    certificateOffered: given.certificateOffered ?? 0,
    weeks: given.weeks ?? 0,
    cadence: { weekly: given.cadence?.weekly ?? 0, biweekly: given.cadence?.biweekly ?? 0, end: given.cadence?.end ?? 0 },
  };
}

/** Whether the planted effect applies to a learner: a stable hash of (salt, username) below the share. */
export function isTreated(plan: CoursePlan, entry: RosterEntry): boolean {
  const effect = plan.options.effect;
  if (!effect) return false;
  return hashString(`${effect.salt}:${entry.username}`) / 4294967296 < effect.share;
}

/** Simulates learner `index` (independent of every other learner: same seed and index, same learner). */
export function generateLearner(plan: CoursePlan, index: number): GeneratedLearner {
  const random = new Prng(plan.options.seed, 'learner', index);
  const mix = plan.options.archetypeMix ?? defaultArchetypeMix();
  const archetype = ARCHETYPES[random.weighted(mix)];
  const entry = buildRosterEntry(random, index, archetype);
  const learner: WriterLearner = {
    entry,
    agent: AGENTS[random.weighted([5, 3, 1, 1])],
    ip: `${random.intBetween(11, 223)}.${random.int(256)}.${random.int(256)}.${random.intBetween(1, 254)}`,
  };
  const treated = isTreated(plan, entry);
  const sim = simulateLearner(plan.context, entry, random.fork('behaviour'), plan.effect, treated);
  return { learner, sim };
}

/** Streams every learner of the course in roster order, one at a time (bounded memory). */
export function* iterateLearners(plan: CoursePlan): Generator<GeneratedLearner> {
  for (let i = 0; i < plan.options.learners; i++) yield generateLearner(plan, i);
}
