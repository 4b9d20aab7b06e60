/**
 * Learner behaviour archetypes after the five clusters of Feng, Tang and Liu (AAAI 2019,
 * "Understanding Dropouts in MOOCs"): hard workers who watch the most video, social (forum-active)
 * learners, answer revisers, and two low-engagement groups with high dropout (samplers who leave in
 * the first weeks, and irregular learners whose activity fades). A sixth, strugglers, keep up with
 * every deadline but answer poorly and rarely retry, so they submit enough work to complete without
 * reaching the passing grade: the "likely to complete but not earn a certificate" group of the
 * Berkeley Communicator (Le, Pardos et al.).
 */
export const ARCHETYPES = ['hard_worker', 'social', 'reviser', 'sampler', 'fading', 'struggler'] as const;
export type Archetype = (typeof ARCHETYPES)[number];

/** Parameters of one archetype. Rates are per active day unless stated. */
export interface ArchetypeProfile {
  /** Share of enrolments, default mix. */
  share: number;
  /** Mean active days per week at the learner's first week. */
  activeDaysPerWeek: number;
  /** Mean extra sessions on an active day (sessions = 1 + Poisson(this)). */
  extraSessionsPerDay: number;
  /** Mean units worked through per session. */
  unitsPerSession: number;
  /** Multiplicative decay of activity per week. */
  weeklyDecay: number;
  /** Weekly hazard of leaving for good (before the course design multiplier). */
  weeklyHazard: number;
  /** Probability of leaving for good within the first two weeks regardless of hazard. */
  earlyExit: number;
  /** Share of a video watched when a learner plays it. */
  videoCompletion: number;
  /** Probability of playing a video present in a unit. */
  videoPlayRate: number;
  /** Probability of answering a problem present in a unit. */
  problemRate: number;
  /** Probability of re-attempting after an incorrect answer. */
  retryAfterWrong: number;
  /** Probability of revising an answer that was already correct. */
  reviseCorrect: number;
  /** Mean forum threads read per session. */
  forumReads: number;
  /** Probability of posting (thread, response or comment) per session. */
  forumPost: number;
  /** Ability shift on the logit of a correct answer. */
  ability: number;
  /** Probability that a unit choice goes to the earliest unit with open graded work (keeping up with deadlines). */
  homework: number;
}

export const ARCHETYPE_PROFILES: Record<Archetype, ArchetypeProfile> = {
  hard_worker: { share: 0.13, activeDaysPerWeek: 2.3, extraSessionsPerDay: 0.3, unitsPerSession: 2.4, weeklyDecay: 0.97, weeklyHazard: 0.03, earlyExit: 0.02, videoCompletion: 0.92, videoPlayRate: 0.95, problemRate: 0.9, retryAfterWrong: 0.55, reviseCorrect: 0.03, forumReads: 0.3, forumPost: 0.05, ability: 1.1, homework: 0.55 },
  social: { share: 0.1, activeDaysPerWeek: 2.1, extraSessionsPerDay: 0.3, unitsPerSession: 2.0, weeklyDecay: 0.95, weeklyHazard: 0.06, earlyExit: 0.04, videoCompletion: 0.7, videoPlayRate: 0.75, problemRate: 0.7, retryAfterWrong: 0.45, reviseCorrect: 0.03, forumReads: 1.6, forumPost: 0.35, ability: 0.4, homework: 0.35 },
  reviser: { share: 0.13, activeDaysPerWeek: 2.0, extraSessionsPerDay: 0.25, unitsPerSession: 2.2, weeklyDecay: 0.95, weeklyHazard: 0.07, earlyExit: 0.05, videoCompletion: 0.6, videoPlayRate: 0.6, problemRate: 0.92, retryAfterWrong: 0.9, reviseCorrect: 0.25, forumReads: 0.25, forumPost: 0.03, ability: 0.2, homework: 0.4 },
  sampler: { share: 0.33, activeDaysPerWeek: 1.4, extraSessionsPerDay: 0.1, unitsPerSession: 1.6, weeklyDecay: 0.6, weeklyHazard: 0.45, earlyExit: 0.8, videoCompletion: 0.35, videoPlayRate: 0.55, problemRate: 0.3, retryAfterWrong: 0.2, reviseCorrect: 0.01, forumReads: 0.1, forumPost: 0.01, ability: -0.3, homework: 0.05 },
  fading: { share: 0.22, activeDaysPerWeek: 1.8, extraSessionsPerDay: 0.15, unitsPerSession: 1.8, weeklyDecay: 0.75, weeklyHazard: 0.26, earlyExit: 0.2, videoCompletion: 0.5, videoPlayRate: 0.65, problemRate: 0.5, retryAfterWrong: 0.3, reviseCorrect: 0.02, forumReads: 0.15, forumPost: 0.02, ability: -0.1, homework: 0.15 },
  struggler: { share: 0.09, activeDaysPerWeek: 2.5, extraSessionsPerDay: 0.25, unitsPerSession: 2.4, weeklyDecay: 0.98, weeklyHazard: 0.03, earlyExit: 0.02, videoCompletion: 0.8, videoPlayRate: 0.85, problemRate: 0.97, retryAfterWrong: 0.25, reviseCorrect: 0.02, forumReads: 0.5, forumPost: 0.08, ability: -1.5, homework: 0.8 },
};

/** The default archetype mix, in `ARCHETYPES` order. */
export function defaultArchetypeMix(): number[] {
  return ARCHETYPES.map((a) => ARCHETYPE_PROFILES[a].share);
}
