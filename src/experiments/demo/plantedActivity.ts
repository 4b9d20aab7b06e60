import type { DailyActivity } from '../../domain/activity';
import type { CourseActivityReader } from '../activitySource';

/** Multipliers an arm's learners get on video time, problems attempted and activity chance. */
export interface ArmEffect {
  video?: number;
  problems?: number;
  activity?: number;
}

/** Deterministic uniform number in [0, 1) from an integer (mulberry32 step). */
function unit(seed: number): number {
  let t = (seed + 0x6d2b79f5) >>> 0;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

/**
 * Demo data: generated post-assignment daily activity in which each arm's learners behave as `effects` say
 * (the planted effect the results page should find). Each learner has a base engagement drawn from their id;
 * active days carry video time, problem attempts (about 65% correct) and time on task. Deterministic.
 */
export function plantedActivity(armOf: ReadonlyMap<string, string>, effects: Readonly<Record<string, ArmEffect>>): CourseActivityReader {
  return async function* (_courseId, range) {
    for (const [learnerId, arm] of armOf) {
      const effect = effects[arm] ?? {};
      const seed = hash(learnerId);
      const engagement = 0.15 + 0.6 * unit(seed);
      const days: DailyActivity[] = [];
      for (let day = range.fromDay; day <= range.toDay; day++) {
        const s = seed + day * 7919;
        if (unit(s) >= Math.min(0.95, engagement * (effect.activity ?? 1))) continue;
        const videoSeconds = Math.round(60 * (5 + 40 * unit(s + 1)) * (effect.video ?? 1));
        const attempted = Math.round(6 * unit(s + 2) * (effect.problems ?? 1));
        const correct = Math.round(attempted * (0.5 + 0.3 * unit(s + 3)));
        days.push({ day, counts: { video: 4, problem: attempted, navigate: 6 }, videoSeconds, problemsAttempted: attempted, problemsCorrect: correct, sessions: 1, timeOnTask: videoSeconds + attempted * 120, longestSession: videoSeconds + attempted * 120 });
      }
      if (days.length) yield { learnerId, days };
    }
  };
}
