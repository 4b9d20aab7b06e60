import type { DailyActivity } from '../domain/activity';
import { readCourseActivity } from '../ingest/activityReader';

/** One learner's daily activity in a day range. */
export interface LearnerDays {
  /** Our Learner _id (hex). */
  learnerId: string;
  days: DailyActivity[];
}

/** Reads a course's activity for a range of UTC days, learner by learner. */
export type CourseActivityReader = (courseId: string, range: { fromDay: number; toDay: number }) => AsyncIterable<LearnerDays>;

/** The stored activity (ingest's week buckets), the reader outcome computation uses outside tests and demo data. */
export const storedActivity: CourseActivityReader = (courseId, range) => readCourseActivity(courseId, range);
