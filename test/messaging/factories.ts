import crypto from 'node:crypto';
import { Types } from 'mongoose';
import { Course, CourseDoc } from '../../src/storage/models/Course';
import { Learner } from '../../src/storage/models/Learner';
import { Score } from '../../src/storage/models/Score';

export interface SeedLearner {
  givenName?: string;
  familyName?: string;
  email?: string;
  timeZone?: string;
  optedOut?: boolean;
  canvasUserId?: string;
  dropout: number;
  completion: number;
  certificate: number;
  lastWeekMinutes?: number;
  lastWeekProblems?: number;
  lastActiveDaysAgo?: number;
}

/** A time zone where it is now between 10:00 and 16:00, so default quiet hours (21–8) never delay a test. */
export function daytimeZone(now = new Date()): string {
  for (let offset = -12; offset <= 14; offset++) {
    const hour = (now.getUTCHours() + offset + 24) % 24;
    if (hour >= 10 && hour <= 16) return offset === 0 ? 'Etc/UTC' : `Etc/GMT${offset > 0 ? '-' : '+'}${Math.abs(offset)}`;
  }
  return 'Etc/UTC';
}

/** Builds a course (or uses `courseId`). */
export async function buildCourse(overrides: Partial<CourseDoc> = {}): Promise<CourseDoc> {
  return (await Course.create({ platform: 'canvas', tenant: 'test', externalId: `c-${crypto.randomBytes(4).toString('hex')}`, title: 'Biology 101', ...overrides })).toObject() as CourseDoc;
}

/** Creates learners with one score each for `runDate` and sets the course's last scored run. Returns learner ids in order. */
export async function seedRun(courseId: Types.ObjectId, runDate: string, learners: SeedLearner[], existing: Types.ObjectId[] = []): Promise<Types.ObjectId[]> {
  const ids: Types.ObjectId[] = [];
  for (let i = 0; i < learners.length; i++) {
    const l = learners[i];
    let id = existing[i];
    if (!id) {
      const doc = await Learner.create({
        courseId,
        ids: { ltiSub: `sub-${crypto.randomBytes(6).toString('hex')}`, ...(l.canvasUserId ? { canvasUserId: l.canvasUserId } : {}) },
        ...(l.givenName ? { givenName: l.givenName, name: `${l.givenName} ${l.familyName ?? ''}`.trim(), familyName: l.familyName } : {}),
        ...(l.email ? { email: l.email } : {}),
        timeZone: l.timeZone ?? daytimeZone(),
        optOut: { messages: Boolean(l.optedOut), nudges: false },
      });
      id = doc._id;
    }
    ids.push(id);
  }
  const now = Date.now();
  await Score.insertMany(
    learners.map((l, i) => ({
      courseId,
      learnerId: ids[i],
      runDate,
      dropout: l.dropout,
      completion: l.completion,
      certificate: l.certificate,
      modelVersions: { dropout: 'dropout-test-1', completion: 'completion-test-1', certificate: 'certificate-test-1' },
      factors: [
        { outcome: 'dropout', feature: 'daysSinceLastActivity', text: `no activity for ${l.lastActiveDaysAgo ?? 1} days`, weight: 0.8 },
        { outcome: 'completion', feature: 'problemsCorrect', text: 'solved few problems', weight: -0.4 },
      ],
      activity: { lastActiveAt: new Date(now - (l.lastActiveDaysAgo ?? 1) * 86_400_000), activeDays: 5, lastWeekMinutes: l.lastWeekMinutes ?? 30, lastWeekProblems: l.lastWeekProblems ?? 2, lastWeekVideoMinutes: 10, totalMinutes: 300 },
    })),
  );
  await Course.updateOne({ _id: courseId }, { $set: { lastScoredRunDate: runDate } });
  return ids;
}
