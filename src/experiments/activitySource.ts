import type { DailyActivity } from '../domain/activity';
import { UnavailableError } from '../errors';

/** One learner's daily activity in a day range, as ingest's `readCourseActivity` yields it. */
export interface LearnerDays {
  /** Our Learner _id. */
  learnerId: string;
  days: DailyActivity[];
}

/** Reads a course's activity for a range of UTC days, learner by learner (ingest's `readCourseActivity`). */
export type CourseActivityReader = (courseId: string, range: { fromDay: number; toDay: number }) => AsyncIterable<LearnerDays>;

let registered: CourseActivityReader | undefined;

/** Sets the activity reader outcome computation uses (the worker wires ingest's `readCourseActivity` here at start). */
export function useActivityReader(reader: CourseActivityReader): void {
  registered = reader;
}

/** The registered activity reader; 503 when none is wired (outcomes cannot be computed without activity storage). */
export function activityReader(): CourseActivityReader {
  if (!registered) throw UnavailableError('No activity reader is registered: call useActivityReader(readCourseActivity) at worker start.');
  return registered;
}
