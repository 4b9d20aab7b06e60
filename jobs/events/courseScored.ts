import { log } from '../../src/log';

/** Emitted by the nightly run once every learner of a course has its scores for `runDate`. */
export interface CourseScoredEvent {
  /** Our Course _id. */
  courseId: string;
  /** Run date in the course's time zone, `YYYY-MM-DD` (the value written to Course.lastScoredRunDate). */
  runDate: string;
}

export type CourseScoredHandler = (event: CourseScoredEvent) => Promise<void>;

const handlers = new Set<CourseScoredHandler>();

/**
 * Registers a processor that reacts after a course's nightly scores are written (e.g. automatic campaigns).
 * Returns a function that removes it. Handlers run in the process that emits, so they should only schedule
 * jobs and stay idempotent: a run may be emitted more than once.
 */
export function onCourseScored(handler: CourseScoredHandler): () => void {
  handlers.add(handler);
  return () => handlers.delete(handler);
}

/**
 * Emits the event to every registered handler after the write succeeded. A failing handler is logged and
 * reported in the result; it never stops the others or fails the nightly run.
 */
export async function emitCourseScored(event: CourseScoredEvent): Promise<{ handlers: number; failed: number }> {
  let failed = 0;
  await Promise.all(
    [...handlers].map(async (handler) => {
      try {
        await handler(event);
      } catch (error) {
        failed++;
        log.error({ courseId: event.courseId, runDate: event.runDate, err: (error as Error).message }, 'courseScored handler failed');
      }
    }),
  );
  return { handlers: handlers.size, failed };
}
