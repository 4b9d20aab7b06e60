import { onCoursePull } from '../../../jobs/events/coursePull';
import { pullCanvasCourse } from './canvasPull';
import { pullOpenEdxCourse } from './openedxPull';

/** Registers the Canvas and Open edX REST connectors with the nightly run's pull step. */
export function registerPullHandlers(): void {
  onCoursePull('canvas-rest', async (connection) => {
    const summary = await pullCanvasCourse(String(connection._id));
    return { connectionId: String(connection._id), stored: summary.accepted };
  });
  onCoursePull('openedx-rest', async (connection) => {
    const summary = await pullOpenEdxCourse(String(connection._id));
    return { connectionId: String(connection._id), stored: summary.accepted };
  });
}
