import { computeCourseInsights } from '../../src/insights/computeCourseInsights';
import { readCourseActivity } from '../../src/ingest/activityReader';
import { log } from '../../src/log';
import { BaseTask } from '../BaseTask';
import { CourseScoredEvent, onCourseScored } from '../events/courseScored';

export interface ComputeInsightsProps {
  /** Course `_id` (hex). */
  courseId: string;
  /** Run date the insights belong to, `YYYY-MM-DD`. */
  runDate?: string;
}

/**
 * Recomputes a course's insights (overview, behaviour clusters, design standing) from its stored
 * activity. Idempotent: a retry replaces the same documents.
 */
export class ComputeInsightsTask extends BaseTask<ComputeInsightsProps> {
  readonly jobName = 'insights.compute';
  readonly queue = 'nightly' as const;

  async perform(props: ComputeInsightsProps) {
    return computeCourseInsights(props.courseId, { readActivity: (id, range) => readCourseActivity(id, range), runDate: props.runDate });
  }

  /**
   * Subscribes to course-scored events: each nightly run schedules one insights job per (course,
   * run date); the job id makes a repeated event a no-op. Returns the unsubscribe function.
   */
  static register(): () => void {
    return onCourseScored(async (event: CourseScoredEvent) => {
      await new ComputeInsightsTask().schedule({ courseId: event.courseId, runDate: event.runDate }, { jobId: `insights-${event.courseId}-${event.runDate}` });
      log.info({ courseId: event.courseId, runDate: event.runDate }, 'insights computation scheduled');
    });
  }
}
