import { ContentVisitWeek } from '../storage/models/ContentVisitWeek';
import { CourseBlock } from '../storage/models/CourseBlock';
import { CourseDesign } from '../storage/models/CourseDesign';

/** Blocks listed per week as most and least visited. */
export const CONTENT_LIST_SIZE = 5;

/** One piece of content's visits in one week. */
export interface ContentVisits {
  objectId: string;
  /** Display name from the course structure, else the id itself. */
  label: string;
  learners: number;
  events: number;
}

/** A calendar week's most and least visited content (ISO week, Monday start). */
export interface ContentWeek {
  isoWeek: number;
  /** Monday of the week, YYYY-MM-DD (UTC). */
  start: string;
  /** Distinct content visited that week. */
  visited: number;
  most: ContentVisits[];
  least: ContentVisits[];
}

/** Merges a course's stored visit contributions into per-week, per-object distinct learners and events. */
export async function readContentVisits(courseId: string, fromWeek: number, toWeek: number): Promise<Map<number, Map<string, { learners: Set<string>; events: number }>>> {
  const weeks = new Map<number, Map<string, { learners: Set<string>; events: number }>>();
  const cursor = ContentVisitWeek.collection.find({ c: courseId, w: { $gte: fromWeek, $lte: toWeek } }, { projection: { w: 1, o: 1, n: 1, l: 1 } });
  for await (const doc of cursor) {
    const w = doc.w as number;
    let objects = weeks.get(w);
    if (!objects) weeks.set(w, (objects = new Map()));
    let v = objects.get(doc.o as string);
    if (!v) objects.set(doc.o as string, (v = { learners: new Set(), events: 0 }));
    v.events += doc.n as number;
    for (const l of doc.l as string[]) v.learners.add(l);
  }
  return weeks;
}

/**
 * Display names of a course's content by id: Open edX blocks (`CourseBlock`), then the units of its
 * stored design. Also by the last `@`/`/` segment of a block id, since browser video events name a
 * video by its short code rather than its usage key.
 */
export async function contentLabels(courseId: string): Promise<Map<string, string>> {
  const labels = new Map<string, string>();
  const put = (id: string, name: string | null | undefined) => {
    if (!name) return;
    if (!labels.has(id)) labels.set(id, name);
    const short = /[@/]([^@/]+)$/.exec(id)?.[1];
    if (short && !labels.has(short)) labels.set(short, name);
  };
  for (const b of await CourseBlock.find({ c: courseId }).select({ blockId: 1, name: 1 }).lean()) put(b.blockId, b.name);
  const design = await CourseDesign.findById(courseId).select({ units: 1 }).lean();
  for (const u of design?.units ?? []) if (u.id) put(u.id, u.title);
  return labels;
}

/**
 * Per ISO week from `fromWeek` to `toWeek`: the `CONTENT_LIST_SIZE` most visited pieces of content
 * (by distinct learners, then events, then id) and, among the rest, the least visited (fewest first).
 * Only content visited at least once that week is ranked. Weeks without visits are left out.
 */
export async function mostAndLeastVisited(courseId: string, fromWeek: number, toWeek: number): Promise<ContentWeek[]> {
  const weeks = await readContentVisits(courseId, fromWeek, toWeek);
  if (!weeks.size) return [];
  const labels = await contentLabels(courseId);
  const result: ContentWeek[] = [];
  for (const [isoWeek, objects] of [...weeks].sort((a, b) => a[0] - b[0])) {
    const ranked: ContentVisits[] = [...objects]
      .map(([objectId, v]) => ({ objectId, label: labels.get(objectId) ?? objectId, learners: v.learners.size, events: v.events }))
      .sort((a, b) => b.learners - a.learners || b.events - a.events || byId(a, b));
    const most = ranked.slice(0, CONTENT_LIST_SIZE);
    const least = ranked.slice(CONTENT_LIST_SIZE).sort((a, b) => a.learners - b.learners || a.events - b.events || byId(a, b)).slice(0, CONTENT_LIST_SIZE);
    result.push({ isoWeek, start: new Date((isoWeek * 7 - 3) * 86_400_000).toISOString().slice(0, 10), visited: ranked.length, most, least });
  }
  return result;
}

function byId(a: ContentVisits, b: ContentVisits): number {
  return a.objectId < b.objectId ? -1 : a.objectId > b.objectId ? 1 : 0;
}
