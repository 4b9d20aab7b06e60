import type { LearnerDoc } from '../../storage/models/Learner';
import { scoreFactors, type ScoreDoc } from '../../storage/models/Score';

/** How the learner table shows one learner. */
export interface PresentedLearner {
  id: string;
  /** Pseudonymous id, or the name when names were asked for and the platform shared them. */
  label: string;
  named: boolean;
  dropout: number | null;
  completion: number | null;
  certificate: number | null;
  lastActiveAt: string | null;
  lastWeekMinutes: number | null;
  lastWeekProblems: number | null;
  /** The strongest factors behind the predictions, in plain words. */
  factors: Array<{ outcome: string; text: string; weight: number }>;
  optedOut: boolean;
  contacted: boolean;
  lastContactedAt: string | null;
}

export interface PresentOptions {
  /** The instructor asked for names and the platform shares them in this launch. */
  showNames: boolean;
  lastContactedAt?: Date | null;
  factorLimit?: number;
}

/** The only way a learner leaves the server: pseudonymous unless names were requested and shared; no email, no platform ids. */
export function presentLearner(learner: Pick<LearnerDoc, '_id' | 'pseudonym' | 'name' | 'optOut'>, score: Pick<ScoreDoc, 'dropout' | 'completion' | 'certificate' | 'factors' | 'activity'> | null, options: PresentOptions): PresentedLearner {
  const named = options.showNames && Boolean(learner.name);
  const factors = scoreFactors(score?.factors)
    .sort((a, b) => Math.abs(b.weight) - Math.abs(a.weight))
    .slice(0, options.factorLimit ?? 3)
    .map((f) => ({ outcome: f.outcome, text: f.text, weight: Math.round(f.weight * 100) / 100 }));
  return {
    id: String(learner._id),
    label: named ? learner.name! : learner.pseudonym,
    named,
    dropout: score?.dropout ?? null,
    completion: score?.completion ?? null,
    certificate: score?.certificate ?? null,
    lastActiveAt: score?.activity?.lastActiveAt ? score.activity.lastActiveAt.toISOString() : null,
    lastWeekMinutes: score?.activity?.lastWeekMinutes ?? null,
    lastWeekProblems: score?.activity?.lastWeekProblems ?? null,
    factors,
    optedOut: Boolean(learner.optOut?.messages),
    contacted: Boolean(options.lastContactedAt),
    lastContactedAt: options.lastContactedAt ? options.lastContactedAt.toISOString() : null,
  };
}
