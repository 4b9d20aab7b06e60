import type { ActivityCategory, ActivityEvent } from '../domain/activity';
import { dayNumber } from '../domain/activity';
import { weekOfDay } from './dayEntry';

/** Categories whose events count as a visit to their `objectId` (insights: most and least visited content). */
export const VISIT_CATEGORIES: ReadonlySet<ActivityCategory> = new Set(['video', 'problem', 'navigate', 'access', 'page_close', 'wiki', 'forum']);

/** One stored content-visit document (`ContentVisitWeek`). */
export interface ContentVisitDoc {
  _id: string;
  c: string;
  w: number;
  k: string;
  o: string;
  n: number;
  l: string[];
}

interface Visits {
  courseId: string;
  week: number;
  objectId: string;
  events: number;
  learners: Set<string>;
}

/**
 * Counts visits per (course, ISO week, objectId) over one ingest window: events and distinct
 * learners. One Map entry per object-week; drained into insert-only documents at each flush.
 */
export class ContentVisitCounter {
  private readonly visits = new Map<string, Visits>();

  /** Counts the event when it is a visit (a visit category with an `objectId`). */
  add(event: ActivityEvent, courseId: string, learnerRef: string): void {
    const objectId = event.objectId;
    if (!objectId || !VISIT_CATEGORIES.has(event.category)) return;
    const week = weekOfDay(dayNumber(event.time));
    const key = `${courseId}|${week}|${objectId}`;
    let v = this.visits.get(key);
    if (!v) {
      v = { courseId, week, objectId, events: 0, learners: new Set() };
      this.visits.set(key, v);
    }
    v.events++;
    v.learners.add(learnerRef);
  }

  /** Empties the window, returning its documents keyed by the window's contribution key. */
  drain(key: string): ContentVisitDoc[] {
    const docs = [...this.visits.values()].map((v) => ({
      _id: `${v.courseId}|${String(v.week).padStart(5, '0')}|${key}|${v.objectId}`,
      c: v.courseId,
      w: v.week,
      k: key,
      o: v.objectId,
      n: v.events,
      l: [...v.learners],
    }));
    this.visits.clear();
    return docs;
  }
}
