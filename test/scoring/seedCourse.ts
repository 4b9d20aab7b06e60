import { Types } from 'mongoose';
import { dayStart, type DailyActivity } from '../../src/domain/activity';
import { contributionDoc, ContributionWriter } from '../../src/ingest/contributionWriter';
import { weekOfDay, type DayEntry } from '../../src/ingest/dayEntry';
import { Course } from '../../src/storage/models/Course';
import { Learner } from '../../src/storage/models/Learner';

/** One seeded learner: enrolment day and daily activity. */
export interface SeedLearner {
  enrolledDay: number;
  days: DailyActivity[];
}

/** A day of activity with the given counts (video/problem events, video seconds, problems attempted/correct). */
export function activeDay(day: number, values: { video?: number; problem?: number; forum?: number; navigate?: number; videoSeconds?: number; attempted?: number; correct?: number; sessions?: number } = {}): DailyActivity {
  const counts: DailyActivity['counts'] = {};
  if (values.video) counts.video = values.video;
  if (values.problem) counts.problem = values.problem;
  if (values.forum) counts.forum = values.forum;
  counts.navigate = values.navigate ?? 2;
  return { day, counts, videoSeconds: values.videoSeconds ?? 0, problemsAttempted: values.attempted ?? 0, problemsCorrect: values.correct ?? 0, sessions: values.sessions ?? 1, timeOnTask: 0, longestSession: 0 };
}

function toEntry(d: DailyActivity): DayEntry {
  return { d: d.day, v: d.counts.video, p: d.counts.problem, f: d.counts.forum, n: d.counts.navigate, vs: d.videoSeconds || undefined, pa: d.problemsAttempted || undefined, pk: d.problemsCorrect || undefined, s: d.sessions || undefined };
}

/**
 * Creates a course and its learners, and stores their activity the way ingestion does (week-bucket
 * contribution documents through the ContributionWriter). Returns the course id and learner ids in order.
 */
export async function seedCourse(learners: SeedLearner[], course: { startDay: number; timeZone?: string; nightlyCron?: string }): Promise<{ courseId: string; learnerIds: string[] }> {
  const doc = await Course.create({ platform: 'openedx', externalId: `course-v1:Test+${new Types.ObjectId().toHexString()}+R`, title: 'Seeded course', timeZone: course.timeZone ?? 'UTC', startDate: dayStart(course.startDay), ...(course.nightlyCron ? { nightlyCron: course.nightlyCron } : {}) });
  const courseId = doc._id.toHexString();
  const ids = learners.map(() => new Types.ObjectId());
  for (let i = 0; i < learners.length; i += 2000) {
    await Learner.collection.insertMany(learners.slice(i, i + 2000).map((l, k) => ({ _id: ids[i + k], courseId: doc._id, pseudonym: `L-${ids[i + k].toHexString().slice(-8)}`, ids: {}, roles: ['Learner'], status: 'active', enrolledAt: dayStart(l.enrolledDay), optOut: { nudges: false, messages: false } })));
  }
  const writer = new ContributionWriter();
  for (const [i, learner] of learners.entries()) {
    const weeks = new Map<number, DayEntry[]>();
    for (const d of learner.days) {
      const w = weekOfDay(d.day);
      weeks.set(w, [...(weeks.get(w) ?? []), toEntry(d)]);
    }
    await writer.add([...weeks].map(([week, entries]) => contributionDoc({ courseId, learnerRef: ids[i].toHexString(), pending: false, week, entries }, 'seed')));
  }
  await writer.flush();
  return { courseId, learnerIds: ids.map((id) => id.toHexString()) };
}

/**
 * A deterministic mixed population of `n` learners over `days` days from `startDay`: regular, fading,
 * video-heavy, problem-heavy, never active, and late enrolees, chosen by index.
 */
export function mixedLearners(n: number, startDay: number, days: number): SeedLearner[] {
  const out: SeedLearner[] = [];
  for (let i = 0; i < n; i++) {
    const kind = i % 6;
    const enrolledDay = kind === 5 ? startDay + Math.floor(days / 2) : startDay;
    const activity: DailyActivity[] = [];
    for (let d = enrolledDay; d < startDay + days; d++) {
      const t = d - startDay;
      const active =
        kind === 0 ? t % 2 === 0 : kind === 1 ? t < days / 3 && t % 3 === 0 : kind === 2 ? t % 3 !== 1 : kind === 3 ? t % 2 === 1 : kind === 4 ? false : t % 2 === 0;
      if (!active) continue;
      const scale = 1 + (i % 7);
      activity.push(activeDay(d, { video: kind === 2 ? 6 * scale : 2, videoSeconds: kind === 2 ? 900 * scale : 120, problem: kind === 3 ? 3 * scale : 1, attempted: kind === 3 ? scale : i % 2, correct: kind === 3 ? Math.ceil(scale / 2) : 0, forum: i % 5 === 0 ? 1 : 0 }));
    }
    out.push({ enrolledDay, days: activity });
  }
  return out;
}
