import type { ExperimentArm } from '../storage/models/Experiment';
import { HOLDOUT_ARM } from '../experiments/assignment';
import { firstNameOf, NudgeInputs, nudgeText, NudgeStrategy, Placement, PLACEMENTS } from './strategies';

/**
 * What the widget shows one learner, as cached: the text for each placement, the "why" explanation, and
 * the experiment/arm it came from (kept server-side for exposure logging; the widget API presents only
 * the message, explanation and opt-out state). Holds only this learner's own figures.
 */
export interface WidgetContent {
  v: 1;
  optedOut: boolean;
  experimentId: string | null;
  arm: string | null;
  strategy: NudgeStrategy | null;
  messages: Record<Placement, string | null>;
  why: Record<Placement, string>;
}

const RANDOM_NOTE = 'Keepup is comparing a few kinds of encouragement in this course to learn which helps learners; which kind you see was chosen at random. Your instructor sees only group totals of this comparison.';
const OPT_OUT_NOTE = 'You can turn these nudges off below; Keepup will then also stop sending you messages from your instructor\'s Keepup campaigns.';

function whyFor(strategy: NudgeStrategy | null, shown: boolean): string {
  if (!shown) return `Keepup shows short encouragement here during studies your course runs. Nothing is shown to you right now. ${OPT_OUT_NOTE}`;
  switch (strategy) {
    case 'certificate':
    case 'certificate-video':
      return `The percentage is an estimate from a model trained on how learners in this course have done: it links video time to earning a certificate. It is an estimate, not a promise, and it is shown only when the model is confident enough. ${RANDOM_NOTE} ${OPT_OUT_NOTE}`;
    case 'effort':
      return `The figures are your own activity in this course over the last seven days, as your course platform reported it. ${RANDOM_NOTE} ${OPT_OUT_NOTE}`;
    default:
      return `${RANDOM_NOTE} ${OPT_OUT_NOTE}`;
  }
}

/** Content for a learner who opted out of nudges (and messages). */
export function optedOutContent(): WidgetContent {
  const why = 'You turned off Keepup nudges and messages for this course. Nothing about you is shown here, and Keepup campaigns will not message you. You can turn them back on at any time.';
  return { v: 1, optedOut: true, experimentId: null, arm: null, strategy: null, messages: { widget: null, video: null }, why: { widget: why, video: why } };
}

export interface ContentInputs {
  /** Name fields are stored only when the platform shared them, so a name here may be used. */
  learner: { givenName?: string | null; name?: string | null; optOut?: { nudges?: boolean | null } | null };
  /** The learner's latest Score (null before the first nightly run). */
  score: { whatIf?: NudgeInputs['whatIf']; activity?: NudgeInputs['activity'] } | null;
  /** The running experiment and this learner's arm in it, if any. */
  experiment: { id: string; arm: string; arms: ExperimentArm[] } | null;
}

/** Builds the cached widget content for one learner (pure). */
export function buildWidgetContent(inputs: ContentInputs): WidgetContent {
  if (inputs.learner.optOut?.nudges) return optedOutContent();
  const none: WidgetContent = { v: 1, optedOut: false, experimentId: null, arm: null, strategy: null, messages: { widget: null, video: null }, why: { widget: whyFor(null, false), video: whyFor(null, false) } };
  if (!inputs.experiment) return none;
  const { id, arm } = inputs.experiment;
  if (arm === HOLDOUT_ARM) return { ...none, experimentId: id, arm };
  const armDef = inputs.experiment.arms.find((a) => a.key === arm);
  if (!armDef) return { ...none, experimentId: id, arm };
  const strategy = armDef.strategy as NudgeStrategy;
  const textInputs: NudgeInputs = {
    firstName: firstNameOf(inputs.learner),
    whatIf: inputs.score?.whatIf ?? null,
    activity: inputs.score?.activity ?? null,
    neutralMessage: armDef.neutralMessage ?? null,
  };
  const content: WidgetContent = { ...none, experimentId: id, arm, strategy };
  for (const placement of PLACEMENTS) {
    const result = nudgeText(strategy, placement, textInputs);
    content.messages[placement] = result.text;
    content.why[placement] = whyFor(strategy, result.text !== null);
  }
  return content;
}
