import { log } from '../../src/log';
import { CourseScoredEvent, onCourseScored } from '../events/courseScored';
import { ComputeExperimentOutcomesTask } from './ComputeExperimentOutcomesTask';
import { RefreshNudgeCacheTask } from './RefreshNudgeCacheTask';

/**
 * After each nightly run of a course, schedules the widget-content refresh and the experiment outcome
 * computation. Job ids carry the run date, so an event emitted twice schedules each once.
 */
export class NudgeProcessor {
  async handle(event: CourseScoredEvent): Promise<void> {
    await new RefreshNudgeCacheTask().schedule({ courseId: event.courseId }, { jobId: `nudges-${event.courseId}-${event.runDate}` });
    await new ComputeExperimentOutcomesTask().schedule({ courseId: event.courseId }, { jobId: `outcomes-${event.courseId}-${event.runDate}` });
    log.info({ courseId: event.courseId, runDate: event.runDate }, 'nudge refresh and experiment outcomes scheduled');
  }

  /** Subscribes to course-scored events; returns the unsubscribe function. */
  register(): () => void {
    return onCourseScored((event) => this.handle(event));
  }
}
