import { Types } from 'mongoose';
import { log } from '../../src/log';
import { runColumns } from '../../src/web/routes/dashboard/columnarData';
import { queueConnection } from '../connection';
import { onCourseScored } from '../events/courseScored';

/**
 * After each nightly run of a course, builds the dashboard's columns for the new run into Redis, so the first
 * instructor to open the dashboard gets the cached answer (a few ms) instead of the build (seconds at 50,000 learners).
 */
export class WarmDashboardProcessor {
  register(): () => void {
    return onCourseScored(async (event) => {
      const started = Date.now();
      await runColumns(new Types.ObjectId(event.courseId), event.runDate, queueConnection());
      log.info({ courseId: event.courseId, runDate: event.runDate, ms: Date.now() - started }, 'dashboard columns warmed');
    });
  }
}
