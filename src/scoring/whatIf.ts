/** A learner's "what would help" estimate, as stored on a Score. */
export interface WhatIf {
  /** Model estimate of the change in certificate probability with one more hour of video (not a causal effect). */
  certificatePerVideoHour: number;
  /** Model estimate of the change in certificate probability with one more problem solved (not a causal effect). */
  certificatePerProblem: number;
  /** False when the estimate is too uncertain to show a learner. */
  trustworthy: boolean;
}

/** The note every display of these figures carries. */
export const WHAT_IF_NOTE =
  'Model estimate: how the certificate prediction changes if the activity were different, holding everything else equal. It describes the model, not a causal effect of the activity.';

/** Below this validation AUC the certificate model's sensitivities are not shown to learners. */
const MIN_MODEL_AUC = 0.7;
/** A learner needs at least this many days of history for the estimate to be shown. */
const MIN_WINDOW_DAYS = 7;
/** Larger jumps from one hour or one problem are extrapolation, not something to tell a learner. */
const MAX_PLAUSIBLE = 0.3;

/**
 * The certificate model's sensitivity for one learner: the predicted certificate probability with one more
 * hour of video (one more problem solved) minus the prediction as is. Trustworthy only when the model
 * validated well, the learner has a week of history, and the change is positive and plausibly small.
 */
export function whatIfEstimate(current: number, withVideoHour: number, withProblem: number, context: { modelAuc: number; windowDays: number }): WhatIf {
  const video = withVideoHour - current;
  const problem = withProblem - current;
  const plausible = (d: number) => Number.isFinite(d) && d > 0 && d <= MAX_PLAUSIBLE;
  return {
    certificatePerVideoHour: Math.round(video * 10000) / 10000,
    certificatePerProblem: Math.round(problem * 10000) / 10000,
    trustworthy: context.modelAuc >= MIN_MODEL_AUC && context.windowDays >= MIN_WINDOW_DAYS && plausible(video) && plausible(problem),
  };
}
