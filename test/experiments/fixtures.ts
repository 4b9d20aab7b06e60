import { Types } from 'mongoose';
import type { DailyActivity } from '../../src/domain/activity';
import { signSession } from '../../lti/sessionToken';
import { Course } from '../../src/storage/models/Course';
import { Learner } from '../../src/storage/models/Learner';
import { Score } from '../../src/storage/models/Score';
import type { CourseActivityReader } from '../../src/experiments/activitySource';
import { uniqueName } from '../support';

export const RUN_DATE = '2025-03-10';

export interface SeededCourse {
  courseId: string;
  learnerIds: string[];
}

/**
 * A course with `learners` active learners and a Score each on RUN_DATE. Learner i: given name `Name<i>` when
 * i is even (the platform shared names), no name when odd; opted out when `optedOut(i)`; certificate estimate
 * 0.03 per video hour, trustworthy unless i % 5 === 4; last week i % 7 * 30 minutes and i % 4 problems.
 */
export async function seedCourse(options: { learners: number; optedOut?: (i: number) => boolean; title?: string }): Promise<SeededCourse> {
  const course = await Course.create({ platform: 'canvas', tenant: uniqueName('tenant'), externalId: uniqueName('course'), title: options.title ?? 'Biology 101', lastScoredRunDate: RUN_DATE });
  const learners = await Learner.insertMany(
    Array.from({ length: options.learners }, (_, i) => ({
      courseId: course._id,
      pseudonym: `L-${String(i).padStart(6, '0')}-${uniqueName('p').slice(-4)}`,
      ...(i % 2 === 0 ? { givenName: `Name${i}`, name: `Name${i} Family` } : {}),
      optOut: { nudges: Boolean(options.optedOut?.(i)), messages: Boolean(options.optedOut?.(i)) },
    })),
  );
  await Score.insertMany(
    learners.map((l, i) => ({
      courseId: course._id,
      learnerId: l._id,
      runDate: RUN_DATE,
      dropout: (i % 10) / 10,
      completion: 0.5,
      certificate: 0.3,
      whatIf: { certificatePerVideoHour: 0.03, trustworthy: i % 5 !== 4 },
      activity: { lastWeekMinutes: (i % 7) * 30, lastWeekProblems: i % 4 },
    })),
  );
  return { courseId: String(course._id), learnerIds: learners.map((l) => String(l._id)) };
}

/** A session token for a learner or instructor of a course. */
export function tokenFor(courseId: string, role: 'learner' | 'instructor', learnerId?: string): string {
  return signSession(
    { platformId: new Types.ObjectId().toHexString(), deploymentId: 'd1', courseId, contextId: 'ctx', userSub: learnerId ?? 'instructor-sub', learnerId, role, sharesName: true, sharesEmail: false },
    process.env.KEEPUP_SESSION_SECRET!,
  );
}

/** Deterministic pseudo-random numbers in [0, 1) from an integer seed. */
function unit(seed: number): number {
  let t = (seed + 0x6d2b79f5) >>> 0;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

/**
 * An activity reader over generated days: each learner is active on a day with probability 0.5 and watches
 * 20 ± 10 video minutes, attempts 0–4 problems and gets 60% right; `lift(learnerId)` multiplies video time.
 */
export function generatedReader(learnerIds: string[], lift: (learnerId: string) => number = () => 1): CourseActivityReader {
  return async function* (_courseId, range) {
    for (const [index, learnerId] of learnerIds.entries()) {
      const days: DailyActivity[] = [];
      for (let day = range.fromDay; day <= range.toDay; day++) {
        const seed = index * 1000 + day;
        if (unit(seed) >= 0.5) continue;
        const attempted = Math.floor(unit(seed + 7) * 5);
        days.push({ day, counts: { video: 3, problem: attempted }, videoSeconds: Math.round((10 + 20 * unit(seed + 3)) * 60 * lift(learnerId)), problemsAttempted: attempted, problemsCorrect: Math.round(attempted * 0.6), sessions: 1, timeOnTask: 1800, longestSession: 1800 });
      }
      if (days.length) yield { learnerId, days };
    }
  };
}
