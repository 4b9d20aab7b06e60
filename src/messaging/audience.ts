import type { Types } from 'mongoose';
import { z } from 'zod';
import { learnersInClusters } from '../insights/clusterAudience';
import { Score } from '../storage/models/Score';

const range = z
  .object({ min: z.number().min(0).max(1), max: z.number().min(0).max(1) })
  .refine((r) => r.min <= r.max, { message: 'min must not exceed max' });

/**
 * A dynamic audience: probability ranges (inclusive, 0–1) on any of the three predictions, optional
 * activity filters, and optionally behaviour clusters (labels of the course's latest clustering; a
 * learner matches when their cluster has one of them), evaluated against the course's latest scored
 * run and latest clustering each time it is used.
 */
export const audienceSchema = z
  .object({
    dropout: range.nullable().default(null),
    completion: range.nullable().default(null),
    certificate: range.nullable().default(null),
    minInactiveDays: z.number().int().min(0).max(3650).nullable().default(null),
    maxLastWeekMinutes: z.number().min(0).max(10_080).nullable().default(null),
    clusters: z.array(z.string().trim().min(1).max(120)).min(1).max(20).nullable().optional(),
  })
  .strict();
export type Audience = z.infer<typeof audienceSchema>;

/** The fields of a score an audience looks at. */
export interface ScoredLearner {
  learnerId: Types.ObjectId;
  dropout: number;
  completion: number;
  certificate: number;
  activity?: { lastActiveAt?: Date | null; activeDays?: number | null; lastWeekMinutes?: number | null; lastWeekProblems?: number | null; lastWeekVideoMinutes?: number | null; totalMinutes?: number | null } | null;
}

const OUTCOMES = ['dropout', 'completion', 'certificate'] as const;

/** Whole days between the learner's last activity and `now`; undefined when never active. */
export function inactiveDays(lastActiveAt: Date | null | undefined, now: Date): number | undefined {
  if (!lastActiveAt) return undefined;
  return Math.max(0, Math.floor((now.getTime() - lastActiveAt.getTime()) / 86_400_000));
}

/** True when a scored learner is inside every range and filter of the audience. */
export function matchesAudience(score: ScoredLearner, audience: Audience, now = new Date()): boolean {
  for (const outcome of OUTCOMES) {
    const r = audience[outcome];
    if (r && (score[outcome] < r.min || score[outcome] > r.max)) return false;
  }
  if (audience.minInactiveDays !== null) {
    const days = inactiveDays(score.activity?.lastActiveAt, now);
    if (days !== undefined && days < audience.minInactiveDays) return false;
  }
  if (audience.maxLastWeekMinutes !== null && (score.activity?.lastWeekMinutes ?? 0) > audience.maxLastWeekMinutes) return false;
  return true;
}

/** The MongoDB filter for an audience's ranges on one run (the activity filters are applied in Node). */
export function audienceQuery(courseId: Types.ObjectId, runDate: string, audience: Audience): Record<string, unknown> {
  const query: Record<string, unknown> = { courseId, runDate };
  for (const outcome of OUTCOMES) {
    const r = audience[outcome];
    if (r) query[outcome] = { $gte: r.min, $lte: r.max };
  }
  return query;
}

/**
 * Streams the scores of a run that match the audience (learner id, probabilities, activity figures).
 * With a cluster filter, each learner's cluster is read from the course's latest clustering now.
 */
export async function resolveAudience(courseId: Types.ObjectId, runDate: string, audience: Audience, now = new Date()): Promise<ScoredLearner[]> {
  const members = audience.clusters?.length ? await learnersInClusters(String(courseId), audience.clusters) : null;
  const matched: ScoredLearner[] = [];
  const cursor = Score.find(audienceQuery(courseId, runDate, audience))
    .select({ learnerId: 1, dropout: 1, completion: 1, certificate: 1, activity: 1 })
    .lean<ScoredLearner>()
    .cursor({ batchSize: 2000 });
  for await (const score of cursor) if ((!members || members.has(String(score.learnerId))) && matchesAudience(score, audience, now)) matched.push(score);
  return matched;
}
