import fs from 'node:fs';
import path from 'node:path';
import { generateCourse } from '../src/generator';
import type { GeneratedCourseSummary } from '../src/generator';

/** The course the simulator's Open edX flavour launches into, filled with generated learners. */
export const DEMO_COURSE = {
  courseId: 'course-v1:KeepupX+BIO101+2024_T1',
  title: 'Biology 101: Cells and Systems',
  learners: 400,
  weeks: 8,
  /** Weeks since the course started: the demo course is in progress. */
  elapsedWeeks: 6,
};

/** The Monday `weeks` weeks before today (UTC), as YYYY-MM-DD. */
export function mondayWeeksAgo(weeks: number, today = new Date()): string {
  const day = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate()));
  const sinceMonday = (day.getUTCDay() + 6) % 7;
  day.setUTCDate(day.getUTCDate() - sinceMonday - weeks * 7);
  return day.toISOString().slice(0, 10);
}

/**
 * Generates the demo course (Open edX shape, in progress as of today) into `dir`, unless a
 * previous demo run already generated it today.
 */
export async function generateDemoCourse(dir: string): Promise<GeneratedCourseSummary | undefined> {
  const today = new Date().toISOString().slice(0, 10);
  const stamp = path.join(dir, '.generated-on');
  if (fs.existsSync(stamp) && fs.readFileSync(stamp, 'utf8') === today) return undefined;
  fs.rmSync(dir, { recursive: true, force: true });
  const summary = await generateCourse({
    platform: 'openedx',
    learners: DEMO_COURSE.learners,
    weeks: DEMO_COURSE.weeks,
    seed: 'keepup-demo',
    out: dir,
    courseId: DEMO_COURSE.courseId,
    title: DEMO_COURSE.title,
    start: mondayWeeksAgo(DEMO_COURSE.elapsedWeeks),
    asOf: today,
  });
  fs.writeFileSync(stamp, today);
  return summary;
}
