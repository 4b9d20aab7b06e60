/**
 * The nudge strategies of the XuetangX experiment (Feng, Tang, Liu, AAAI 2019) and their texts.
 * Pure functions: the inputs are the learner's own model estimate and activity figures.
 */

/** `certificate` beside the course (standalone widget), `certificate-video` beside a video, `effort`, `control`. */
export const NUDGE_STRATEGIES = ['certificate', 'certificate-video', 'effort', 'control'] as const;
export type NudgeStrategy = (typeof NUDGE_STRATEGIES)[number];

/** Where a widget is placed: the standalone resource link, or the compact variant deep-linked next to a video. */
export const PLACEMENTS = ['widget', 'video'] as const;
export type Placement = (typeof PLACEMENTS)[number];

/** Smallest estimate, in percentage points per video hour, worth telling a learner (smaller rounds to 0%). */
export const MIN_CERTIFICATE_POINTS = 1;

/** Placements each strategy shows its message in (the certificate message differs between arms only in placement). */
export const STRATEGY_PLACEMENTS: Record<NudgeStrategy, readonly Placement[]> = {
  certificate: ['widget'],
  'certificate-video': ['video'],
  effort: ['widget', 'video'],
  control: ['widget', 'video'],
};

export interface NudgeInputs {
  /** First name when the platform shared it, else null. */
  firstName: string | null;
  whatIf?: { certificatePerVideoHour?: number | null; trustworthy?: boolean | null } | null;
  activity?: { lastWeekMinutes?: number | null; lastWeekProblems?: number | null } | null;
  /** Control arms: the neutral message the experiment defines (none when empty). */
  neutralMessage?: string | null;
}

/** A message to show, or why none is shown. */
export type NudgeText = { text: string } | { text: null; reason: 'control' | 'other-placement' | 'untrustworthy' | 'no-estimate' | 'no-scores' };

function withName(firstName: string | null, sentence: string): string {
  if (!firstName) return sentence;
  return `${firstName}, ${sentence.charAt(0).toLowerCase()}${sentence.slice(1)}`;
}

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** The certificate-driven message, shown only when the course model's estimate is trustworthy and at least 1 point. */
export function certificateText(inputs: NudgeInputs): NudgeText {
  const whatIf = inputs.whatIf;
  if (!whatIf || whatIf.certificatePerVideoHour == null || !Number.isFinite(whatIf.certificatePerVideoHour)) return { text: null, reason: 'no-estimate' };
  if (!whatIf.trustworthy) return { text: null, reason: 'untrustworthy' };
  const points = Math.round(whatIf.certificatePerVideoHour * 100);
  if (points < MIN_CERTIFICATE_POINTS) return { text: null, reason: 'untrustworthy' };
  return { text: withName(inputs.firstName, `Based on our study, your chance of earning a certificate goes up by about ${points}% for every hour of video you watch.`) };
}

/** The effort-driven message from last week's real activity. */
export function effortText(inputs: NudgeInputs): NudgeText {
  if (!inputs.activity) return { text: null, reason: 'no-scores' };
  const minutes = Math.max(0, Math.round(inputs.activity.lastWeekMinutes ?? 0));
  const problems = Math.max(0, Math.round(inputs.activity.lastWeekProblems ?? 0));
  if (minutes === 0 && problems === 0) {
    return { text: withName(inputs.firstName, 'You have not had time for the course in the last week. Even 15 minutes today will help you keep going!') };
  }
  return { text: withName(inputs.firstName, `You spent ${plural(minutes, 'minute', 'minutes')} learning and completed ${plural(problems, 'homework question', 'homework questions')} last week, keep going!`) };
}

/** The text a strategy shows in a placement (null with a reason when it shows none there). */
export function nudgeText(strategy: NudgeStrategy, placement: Placement, inputs: NudgeInputs): NudgeText {
  if (!STRATEGY_PLACEMENTS[strategy].includes(placement)) return { text: null, reason: 'other-placement' };
  switch (strategy) {
    case 'certificate':
    case 'certificate-video':
      return certificateText(inputs);
    case 'effort':
      return effortText(inputs);
    case 'control':
      return inputs.neutralMessage ? { text: inputs.neutralMessage } : { text: null, reason: 'control' };
  }
}

/** The first name to greet a learner by: the given name the platform shared, else the first word of the shared full name. */
export function firstNameOf(learner: { givenName?: string | null; name?: string | null }): string | null {
  const given = learner.givenName?.trim();
  if (given) return given.slice(0, 60);
  const first = learner.name?.trim().split(/\s+/)[0];
  return first ? first.slice(0, 60) : null;
}
