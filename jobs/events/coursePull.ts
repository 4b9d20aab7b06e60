import type { DataConnectionDoc } from '../../src/storage/models/DataConnection';

/** What a pull connector reports for the Runs page. */
export interface CoursePullResult {
  connectionId: string;
  /** Items (events, enrollments, grades ...) stored by this pull. */
  stored: number;
}

/** Pulls one outbound data connection of a course up to now (incremental, resumable; the connector's own concern). */
export type CoursePullHandler = (connection: DataConnectionDoc, context: { courseId: string; runDate: string }) => Promise<CoursePullResult>;

const handlers = new Map<string, CoursePullHandler>();

/**
 * Registers the connector that pulls a kind of data connection (`canvas-rest`, `openedx-rest`) for the
 * nightly run's pull step. Returns a function that removes it.
 */
export function onCoursePull(kind: string, handler: CoursePullHandler): () => void {
  handlers.set(kind, handler);
  return () => handlers.delete(kind);
}

/** The connector registered for a connection kind, if any. */
export function pullHandlerFor(kind: string): CoursePullHandler | undefined {
  return handlers.get(kind);
}
