import { z } from 'zod';
import { ARCHETYPES } from './archetypes';
import { DESIGN_PRESETS } from './designPresets';

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD')
  .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s), 'is not a real calendar date');

/** A planted experiment effect: a deterministic share of learners behaves differently from a week on. */
export const plantedEffectSchema = z.object({
  /** Course week (0-based) from which treated learners change. Default 0. */
  fromWeek: z.number().int().min(0).default(0),
  /** Share of learners treated, chosen by a hash of (salt, username). Default 0.5. */
  share: z.number().min(0).max(1).default(0.5),
  /** Salt of the treatment hash. Default 'effect'. */
  salt: z.string().default('effect'),
  /** Multiplier on active days per week. Default 1. */
  activity: z.number().positive().max(10).default(1),
  /** Multiplier on video play chance and share watched. Default 1. */
  video: z.number().positive().max(10).default(1),
  /** Multiplier on the chance of answering a problem. Default 1. */
  problems: z.number().positive().max(10).default(1),
  /** Added to the logit of a correct answer. Default 0. */
  correct: z.number().min(-5).max(5).default(0),
});

/**
 * Design levers set directly instead of drawn from the preset (the rest still comes from the preset).
 * Lets a set of courses vary one lever on purpose, e.g. to check the course-design model (issue 8).
 */
export const designOverridesSchema = z
  .object({
    videoShare: z.number().min(0).max(1),
    gradedShare: z.number().min(0).max(1),
    interactiveShare: z.number().min(0).max(1),
    problemsPerUnit: z.number().min(0.5).max(10),
    deadlineCadence: z.enum(['weekly', 'biweekly', 'end']),
    certificateOffered: z.boolean(),
    passingGrade: z.number().min(0.05).max(1),
  })
  .partial()
  .strict();

/**
 * A planted design effect replacing the default one: coefficients on the log weekly dropout hazard
 * (see `designHazardMultiplier`). Coefficients not given are 0, so `{ interactiveShare: -3 }` plants
 * an effect of interactivity alone and no other lever changes dropout.
 */
export const designEffectSchema = z
  .object({
    channel: z.enum(['dropout', 'engagement']),
    interactiveShare: z.number().min(-10).max(10),
    gradedShare: z.number().min(-10).max(10),
    videoShare: z.number().min(-10).max(10),
    certificateOffered: z.number().min(-10).max(10),
    weeks: z.number().min(-1).max(1),
    cadence: z.object({ weekly: z.number(), biweekly: z.number(), end: z.number() }).partial().strict(),
  })
  .partial()
  .strict();

/** Options of `generateCourse` (validated; the CLI maps its flags onto these). */
export const generateOptionsSchema = z.object({
  /** Which LMS the data looks like it came from. */
  platform: z.enum(['openedx', 'canvas']),
  /** Number of enrolled learners, 1..1,000,000. */
  learners: z.number().int().min(1).max(1_000_000),
  /** Course length in weeks, 1..52. */
  weeks: z.number().int().min(1).max(52),
  /** Seed: the same seed and options give byte-identical output. */
  seed: z.union([z.string().min(1), z.number().int()]),
  /** Output folder (created if missing). */
  out: z.string().min(1),
  /** Open edX course key `course-v1:Org+Number+Run`. Default drawn from the seed. */
  courseId: z
    .string()
    .regex(/^course-v1:[A-Za-z0-9_.-]+\+[A-Za-z0-9_.-]+\+[A-Za-z0-9_.-]+$/, 'course id must look like course-v1:Org+Number+Run')
    .optional(),
  /** Course start date (UTC) YYYY-MM-DD. Default 2025-02-03. */
  start: isoDate.default('2025-02-03'),
  /** Write only activity before this date (an in-progress course); outcomes still cover the whole course. */
  asOf: isoDate.optional(),
  /** Course design preset; default drawn from the seed. */
  design: z.enum(DESIGN_PRESETS).optional(),
  /** Design levers that replace the preset's (issue 8). */
  designOverrides: designOverridesSchema.optional(),
  /** Planted design effect replacing the default (issue 8); levers not given have none. */
  designEffect: designEffectSchema.optional(),
  /** Course title; default drawn from the seed. */
  title: z.string().min(1).optional(),
  /** Course time zone (IANA); default drawn from the seed. */
  timeZone: z.string().optional(),
  /** Archetype mix in ARCHETYPES order (normalised); default after Feng et al. */
  archetypeMix: z.array(z.number().min(0)).length(ARCHETYPES.length).optional(),
  /** Planted experiment effect (issue 7). */
  effect: plantedEffectSchema.optional(),
  /** Also write xAPI statements (Open edX only). Default true. */
  xapi: z.boolean().default(true),
});

export type GenerateOptions = z.input<typeof generateOptionsSchema>;
export type ResolvedGenerateOptions = z.output<typeof generateOptionsSchema>;
export type PlantedEffectOptions = z.input<typeof plantedEffectSchema>;

/** Validates options, throwing an Error whose message names each bad field. */
export function resolveOptions(options: GenerateOptions): ResolvedGenerateOptions {
  const parsed = generateOptionsSchema.safeParse(options);
  if (!parsed.success) {
    const detail = parsed.error.issues.map((i) => `${i.path.join('.') || 'options'} ${i.message}`).join('; ');
    throw new Error(`invalid generator options: ${detail}`);
  }
  if (parsed.data.timeZone) {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: parsed.data.timeZone });
    } catch {
      throw new Error(`invalid generator options: timeZone "${parsed.data.timeZone}" is not an IANA time zone`);
    }
  }
  return parsed.data;
}
