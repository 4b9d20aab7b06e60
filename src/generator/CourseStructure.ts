import { CourseDesign } from './designPresets';
import { Prng } from './Prng';

/** A video component. `hex` is the block's short id, which Open edX video events carry as `id`. */
export interface VideoBlock {
  id: string;
  hex: string;
  displayName: string;
  /** Length in seconds. */
  duration: number;
  /** Video code as the player reports it: a YouTube id, or 'html5' for an uploaded file. */
  code: string;
  /** Canvas file (attachment) id of the same video. */
  canvasFileId: number;
}

/** A problem component. Graded problems count toward the grade and close at `dueAt`. */
export interface ProblemBlock {
  id: string;
  hex: string;
  displayName: string;
  graded: boolean;
  /** Points, as Open edX's `max_grade`. */
  maxGrade: number;
  /** Additive difficulty on the logit of a correct answer (positive is easier). */
  easiness: number;
  /** Due time, epoch ms (graded problems only). */
  dueAt?: number;
}

/** A unit (vertical): a page holding videos, problems and maybe an interactive element. */
export interface Vertical {
  id: string;
  hex: string;
  displayName: string;
  videos: VideoBlock[];
  problems: ProblemBlock[];
  interactive: boolean;
  /** Canvas wiki page url slug of the same unit. */
  canvasPageUrl: string;
}

/** A subsection (sequential). Graded subsections are Canvas quizzes/assignments. */
export interface Sequential {
  id: string;
  hex: string;
  displayName: string;
  graded: boolean;
  /** Open edX assignment type for graded subsections. */
  format?: string;
  dueAt?: number;
  verticals: Vertical[];
  /** Canvas assignment id when graded. */
  canvasAssignmentId?: number;
}

/** A section (chapter): one per week, released at the start of its week. */
export interface Chapter {
  id: string;
  hex: string;
  displayName: string;
  week: number;
  releaseAt: number;
  sequentials: Sequential[];
  canvasModuleId: number;
}

/** A forum topic learners post in. */
export interface ForumTopic {
  id: string;
  name: string;
  canvasTopicId: number;
}

/** The whole generated course. Times are epoch milliseconds (UTC). */
export interface CourseStructure {
  platform: 'openedx' | 'canvas';
  courseId: string;
  org: string;
  number: string;
  run: string;
  title: string;
  /** LMS base URL (Open edX `LMS_ROOT_URL`, Canvas domain). */
  lmsUrl: string;
  timeZone: string;
  startAt: number;
  endAt: number;
  weeks: number;
  design: CourseDesign;
  chapters: Chapter[];
  forumTopics: ForumTopic[];
  wikiSlugs: string[];
  canvas: { courseId: number; accountId: number };
}

const TOPICS = ['Foundations', 'Data', 'Models', 'Methods', 'Practice', 'Ethics', 'Systems', 'Design', 'Evaluation', 'Applications', 'Theory', 'Tools', 'Projects', 'Review'];
const COURSE_SUBJECTS = ['Data Science', 'Climate Policy', 'Machine Learning', 'Public Health', 'Statistics', 'Software Design', 'Behavioral Economics', 'Astronomy'];
const TIME_ZONES = ['America/New_York', 'Europe/Paris', 'Asia/Shanghai', 'America/Los_Angeles', 'Europe/London', 'Asia/Kolkata'];
const DAY_MS = 86_400_000;

export interface CourseStructureOptions {
  platform: 'openedx' | 'canvas';
  weeks: number;
  /** Start day at 00:00 UTC, epoch ms. */
  startAt: number;
  design: CourseDesign;
  courseId?: string;
  title?: string;
  timeZone?: string;
  lmsUrl?: string;
}

/** Builds the course outline: one chapter per week, subsections, units, videos and problems with due dates. */
export function buildCourseStructure(random: Prng, options: CourseStructureOptions): CourseStructure {
  const { design, weeks, startAt } = options;
  const subject = random.pick(COURSE_SUBJECTS);
  const number = `${subject.replace(/[^A-Z]/g, '')}${random.intBetween(100, 499)}x`;
  const parsed = parseCourseKey(options.courseId ?? `course-v1:KeepupX+${number}+${new Date(startAt).getUTCFullYear()}_T${1 + Math.floor(new Date(startAt).getUTCMonth() / 4)}`);
  const blockId = (type: string, hex: string) => `block-v1:${parsed.org}+${parsed.number}+${parsed.run}+type@${type}+block@${hex}`;
  const endAt = startAt + weeks * 7 * DAY_MS;
  let canvasIds = 1000 + random.int(9000);
  const nextCanvasId = () => ++canvasIds;

  const chapters: Chapter[] = [];
  for (let week = 0; week < weeks; week++) {
    const releaseAt = startAt + week * 7 * DAY_MS;
    const dueAt = dueDate(design.deadlineCadence, week, weeks, startAt);
    const sequentials: Sequential[] = [];
    const sequentialCount = random.intBetween(2, 3);
    for (let s = 0; s < sequentialCount; s++) {
      const graded = s === sequentialCount - 1 || random.chance(design.gradedShare * 0.5);
      const verticals: Vertical[] = [];
      const verticalCount = random.intBetween(3, 5);
      for (let v = 0; v < verticalCount; v++) {
        const hex = random.hex(32);
        const videos: VideoBlock[] = [];
        if (random.chance(design.videoShare)) {
          const vhex = random.hex(32);
          videos.push({
            id: blockId('video', vhex),
            hex: vhex,
            displayName: `Lecture ${week + 1}.${s + 1}.${v + 1}`,
            duration: Math.max(60, Math.round(random.logNormal(design.medianVideoSeconds, 0.45))),
            code: random.chance(0.7) ? youtubeId(random) : 'html5',
            canvasFileId: nextCanvasId(),
          });
        }
        const problems: ProblemBlock[] = [];
        const problemCount = random.chance(0.6) ? Math.max(1, random.poisson(design.problemsPerUnit)) : 0;
        for (let p = 0; p < problemCount; p++) {
          const phex = random.hex(32);
          const isGraded = graded && random.chance(Math.min(1, design.gradedShare + 0.3));
          problems.push({
            id: blockId('problem', phex),
            hex: phex,
            displayName: `Question ${week + 1}.${s + 1}.${v + 1}.${p + 1}`,
            graded: isGraded,
            maxGrade: random.chance(0.7) ? 1 : random.intBetween(2, 3),
            easiness: round3(random.normal(0.3, 0.7)),
            dueAt: isGraded ? dueAt : undefined,
          });
        }
        verticals.push({
          id: blockId('vertical', hex),
          hex,
          displayName: `Unit ${week + 1}.${s + 1}.${v + 1}`,
          videos,
          problems,
          interactive: random.chance(design.interactiveShare),
          canvasPageUrl: `unit-${week + 1}-${s + 1}-${v + 1}`,
        });
      }
      const shex = random.hex(32);
      const hasGraded = verticals.some((v) => v.problems.some((p) => p.graded));
      sequentials.push({
        id: blockId('sequential', shex),
        hex: shex,
        displayName: hasGraded ? `Homework ${week + 1}.${s + 1}` : `Lesson ${week + 1}.${s + 1}`,
        graded: hasGraded,
        format: hasGraded ? 'Homework' : undefined,
        dueAt: hasGraded ? dueAt : undefined,
        verticals,
        canvasAssignmentId: hasGraded ? nextCanvasId() : undefined,
      });
    }
    const chex = random.hex(32);
    chapters.push({
      id: blockId('chapter', chex),
      hex: chex,
      displayName: `Week ${week + 1}: ${TOPICS[week % TOPICS.length]}`,
      week,
      releaseAt,
      sequentials,
      canvasModuleId: nextCanvasId(),
    });
  }

  const forumTopics: ForumTopic[] = ['General', 'Course Q&A', ...chapters.map((c) => c.displayName)].map((name) => ({
    id: name === 'General' ? 'course' : random.hex(32),
    name,
    canvasTopicId: nextCanvasId(),
  }));

  return {
    platform: options.platform,
    courseId: parsed.courseId,
    org: parsed.org,
    number: parsed.number,
    run: parsed.run,
    title: options.title ?? `${subject}: ${TOPICS[random.int(TOPICS.length)]} and Practice`,
    lmsUrl: options.lmsUrl ?? (options.platform === 'canvas' ? 'https://canvas.keepup.test' : 'https://courses.keepup.test'),
    timeZone: options.timeZone ?? random.pick(TIME_ZONES),
    startAt,
    endAt,
    weeks,
    design,
    chapters,
    forumTopics,
    wikiSlugs: ['Home', 'Resources', 'Glossary', 'FAQ'].map((s) => `${parsed.org}.${parsed.number}.${parsed.run}/${s.toLowerCase()}`),
    canvas: { courseId: 100 + random.int(9000), accountId: 1 },
  };
}

/** Splits a `course-v1:Org+Number+Run` key; throws a plain error for anything else. */
export function parseCourseKey(courseId: string): { courseId: string; org: string; number: string; run: string } {
  const match = /^course-v1:([A-Za-z0-9_.-]+)\+([A-Za-z0-9_.-]+)\+([A-Za-z0-9_.-]+)$/.exec(courseId);
  if (!match) throw new Error(`course id must look like course-v1:Org+Number+Run, got "${courseId}"`);
  return { courseId, org: match[1], number: match[2], run: match[3] };
}

/** Every graded problem of the course, in course order. */
export function gradedProblems(course: CourseStructure): ProblemBlock[] {
  return allVerticals(course).flatMap((v) => v.problems.filter((p) => p.graded));
}

/** Every unit of the course, in course order. */
export function allVerticals(course: CourseStructure): Vertical[] {
  return course.chapters.flatMap((c) => c.sequentials.flatMap((s) => s.verticals));
}

function dueDate(cadence: CourseDesign['deadlineCadence'], week: number, weeks: number, startAt: number): number {
  const endOfWeek = (w: number) => startAt + (w + 1) * 7 * DAY_MS - 60_000;
  if (cadence === 'weekly') return endOfWeek(Math.min(week + 1, weeks - 1));
  if (cadence === 'biweekly') return endOfWeek(Math.min(week - (week % 2) + 1, weeks - 1));
  return endOfWeek(weeks - 1);
}

function youtubeId(random: Prng): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-';
  let id = '';
  for (let i = 0; i < 11; i++) id += alphabet[random.int(alphabet.length)];
  return id;
}

function round3(value: number): number {
  return Math.round(value * 1000) / 1000;
}
