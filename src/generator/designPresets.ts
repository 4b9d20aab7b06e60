import { Prng } from './Prng';

/** How often graded work falls due. */
export type DeadlineCadence = 'weekly' | 'biweekly' | 'end';

/**
 * The course features a course team controls (issue 8 models completion from these across courses).
 * Shares are fractions 0..1 of the course's units (verticals) or assessments.
 */
export interface CourseDesign {
  /** Preset the design was drawn from. */
  preset: DesignPresetName;
  /** Share of units that hold a video. */
  videoShare: number;
  /** Share of problems that count toward the grade. */
  gradedShare: number;
  /** Share of units with an interactive page (discussion prompt, poll, simulation). */
  interactiveShare: number;
  /** Mean problems per unit that has problems. */
  problemsPerUnit: number;
  /** Deadline cadence of graded work. */
  deadlineCadence: DeadlineCadence;
  /** Whether a certificate is offered (verified track). */
  certificateOffered: boolean;
  /** Grade needed to pass, 0..1. */
  passingGrade: number;
  /** Median video length, seconds. */
  medianVideoSeconds: number;
}

export const DESIGN_PRESETS = ['balanced', 'video-lecture', 'assessment-heavy', 'interactive', 'self-paced'] as const;
export type DesignPresetName = (typeof DESIGN_PRESETS)[number];

/** Centres of each preset; `drawDesign` jitters them per seed so no two courses are identical. */
const PRESET_CENTRES: Record<DesignPresetName, Omit<CourseDesign, 'preset'>> = {
  balanced: { videoShare: 0.55, gradedShare: 0.5, interactiveShare: 0.25, problemsPerUnit: 2, deadlineCadence: 'weekly', certificateOffered: true, passingGrade: 0.6, medianVideoSeconds: 420 },
  'video-lecture': { videoShare: 0.85, gradedShare: 0.3, interactiveShare: 0.08, problemsPerUnit: 1.2, deadlineCadence: 'end', certificateOffered: true, passingGrade: 0.5, medianVideoSeconds: 720 },
  'assessment-heavy': { videoShare: 0.35, gradedShare: 0.8, interactiveShare: 0.15, problemsPerUnit: 3, deadlineCadence: 'weekly', certificateOffered: true, passingGrade: 0.65, medianVideoSeconds: 360 },
  interactive: { videoShare: 0.45, gradedShare: 0.45, interactiveShare: 0.6, problemsPerUnit: 2, deadlineCadence: 'weekly', certificateOffered: true, passingGrade: 0.6, medianVideoSeconds: 300 },
  'self-paced': { videoShare: 0.6, gradedShare: 0.4, interactiveShare: 0.1, problemsPerUnit: 1.8, deadlineCadence: 'end', certificateOffered: false, passingGrade: 0.5, medianVideoSeconds: 540 },
};

/** A course design for `preset` (or one drawn by the seed when omitted), jittered around its centre. */
export function drawDesign(random: Prng, preset?: DesignPresetName): CourseDesign {
  const name = preset ?? random.pick(DESIGN_PRESETS);
  const centre = PRESET_CENTRES[name];
  const jitter = (value: number, spread: number) => clamp(value + random.normal(0, spread), 0.02, 0.98);
  const cadences: DeadlineCadence[] = ['weekly', 'biweekly', 'end'];
  return {
    preset: name,
    videoShare: round2(jitter(centre.videoShare, 0.06)),
    gradedShare: round2(jitter(centre.gradedShare, 0.06)),
    interactiveShare: round2(jitter(centre.interactiveShare, 0.05)),
    problemsPerUnit: round2(Math.max(0.5, centre.problemsPerUnit + random.normal(0, 0.3))),
    deadlineCadence: random.chance(0.8) ? centre.deadlineCadence : random.pick(cadences),
    certificateOffered: random.chance(0.9) ? centre.certificateOffered : !centre.certificateOffered,
    passingGrade: round2(clamp(centre.passingGrade + random.normal(0, 0.03), 0.4, 0.8)),
    medianVideoSeconds: Math.round(centre.medianVideoSeconds * Math.exp(random.normal(0, 0.15))),
  };
}

/**
 * Coefficients of the planted design effect on the log of the weekly dropout hazard: per unit of each
 * share (centred at the balanced preset), per week of length (centred at 8), for offering a certificate
 * (centred: half below, half above) and per deadline cadence.
 */
export interface DesignEffect {
  /**
   * What the multiplier acts on: `dropout` multiplies the weekly dropout hazard; `engagement` divides
   * the weekly active days and the chance of answering a problem by it (a stronger lever on completion,
   * which needs submitted work more than presence).
   */
  channel: 'dropout' | 'engagement';
  interactiveShare: number;
  gradedShare: number;
  videoShare: number;
  certificateOffered: number;
  weeks: number;
  cadence: Record<DeadlineCadence, number>;
}

/**
 * The generator's default planted effect. Course teams' levers associate with persistence as in the
 * MOOC literature: regular deadlines, interactivity and a certificate go with higher completion; long
 * courses and video-only courses with lower.
 */
export const DEFAULT_DESIGN_EFFECT: DesignEffect = {
  channel: 'dropout',
  interactiveShare: -0.8,
  gradedShare: -0.4,
  videoShare: 0.5,
  certificateOffered: -0.3,
  weeks: 0.03,
  cadence: { weekly: -0.25, biweekly: -0.1, end: 0.1 },
};

/**
 * The planted design effect: a multiplier on every learner's weekly dropout hazard (below 1 keeps
 * learners longer), exp of the effect's coefficients times the design's centred features. Documented
 * in docs/generator.md so issue 8's course model can be checked against it.
 */
export function designHazardMultiplier(design: CourseDesign, weeks: number, effect: DesignEffect = DEFAULT_DESIGN_EFFECT): number {
  const log =
    effect.cadence[design.deadlineCadence] +
    effect.interactiveShare * (design.interactiveShare - 0.25) +
    effect.gradedShare * (design.gradedShare - 0.5) +
    effect.videoShare * (design.videoShare - 0.55) +
    effect.certificateOffered * (design.certificateOffered ? 0.5 : -0.5) +
    effect.weeks * (weeks - 8);
  return Math.exp(log);
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}
