import fs from 'node:fs';
import { z } from 'zod';
import type { SimCourse, SimUser } from './directory';
import type { SimPlatform } from './SimPlatform';

/** The fields of a generator `roster.jsonl` line the simulator needs (see docs/generator.md). */
const rosterLine = z.object({
  userId: z.union([z.string(), z.number()]).transform(String),
  username: z.string(),
  anonymousId: z.string(),
  ltiSub: z.string(),
  canvasUserId: z.union([z.string(), z.number()]).transform(String),
  firstName: z.string().optional(),
  lastName: z.string().optional(),
  name: z.string().optional(),
  email: z.string().optional(),
  timeZone: z.string(),
});
export type RosterLine = z.infer<typeof rosterLine>;

/** Reads a generator roster (JSON lines); throws naming the first bad line. */
export function readRoster(file: string): RosterLine[] {
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim())
    .map((line, i) => {
      const parsed = rosterLine.safeParse(JSON.parse(line));
      if (!parsed.success) throw new Error(`${file} line ${i + 1}: ${parsed.error.issues[0]?.message}`);
      return parsed.data;
    });
}

/**
 * Replaces a simulated course's learners with a generated course's roster, so launches in the
 * simulator arrive as the learners whose activity was imported, with the roster's LTI `sub`, username
 * and platform user id. Staff users (instructor, TA) stay.
 * The first roster learner takes the `learner` key the demo's "Launch as learner" link uses; the
 * others are keyed by username (`?user=<username>` launches as them).
 */
export function seedCourseFromRoster(platform: SimPlatform, roster: RosterLine[], options: { courseId?: string; title?: string } = {}): void {
  const course: SimCourse = platform.course;
  const staff = course.users.filter((u) => u.role !== 'learner');
  const learners: SimUser[] = roster.map((r, i) => ({
    key: i === 0 ? 'learner' : r.username,
    sub: r.ltiSub,
    role: 'learner',
    username: r.username,
    platformUserId: platform.flavour === 'canvas' ? r.canvasUserId : r.userId,
    timeZone: r.timeZone,
    status: 'Active',
    ...(r.name ? { name: r.name, givenName: r.firstName, familyName: r.lastName } : {}),
    ...(r.email ? { email: r.email } : {}),
  }));
  course.users.splice(0, course.users.length, ...staff, ...learners);
  if (options.courseId) {
    course.contextId = options.courseId;
    if (platform.flavour === 'openedx') course.platformCourseId = options.courseId;
  }
  if (options.title) course.title = options.title;
}
