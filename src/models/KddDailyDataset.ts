import fs from 'node:fs';
import path from 'node:path';
import type { TableSpec } from '../features/featureTable';
import type { CourseInput } from './ModelData';
import { dailyActivity, dayNumber, type ActivityCategory, type DailyActivity } from '../domain/activity';

/** The KDD daily CSV columns and the activity category each maps onto. */
const KDD_COLUMNS: ReadonlyArray<[string, ActivityCategory]> = [
  ['event_access', 'access'],
  ['event_discussion', 'forum'],
  ['event_navigate', 'navigate'],
  ['event_page_close', 'page_close'],
  ['event_problem', 'problem'],
  ['event_video', 'video'],
  ['event_wiki', 'wiki'],
];

/** The categories present in KDD daily data (the feature channels used for it). */
export const KDD_CATEGORIES: ActivityCategory[] = KDD_COLUMNS.map(([, category]) => category);

/** One enrollment: its active days (days absent from the file had no activity) and its label. */
export interface Enrollment {
  id: string;
  days: DailyActivity[];
  /** 1 = dropout, 0 = stayed; undefined when labels.csv has no row for it. */
  label?: number;
}

/** One course's enrollments and its observation window (UTC day numbers, inclusive). */
export interface CourseData {
  courseId: string;
  start: number;
  end: number;
  enrollments: Enrollment[];
}

/** Counts of rows the loader skipped, by reason, so bad input is reported rather than fatal. */
export interface LoadReport {
  courses: number;
  enrollments: number;
  unlabeled: number;
  badRows: number;
}

/** Thrown when a dataset folder cannot be used at all. */
export class DatasetError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DatasetError';
  }
}

/**
 * Loads a KDD Cup 2015 daily-count folder: every `course_<id>.csv` (symlinks followed) plus a
 * `labels.csv` found in the folder itself or, failing that, in `labelsDir`. The window of a course
 * is inferred from its data: from the course's first date to its last (30 days in the published files).
 */
export function loadKddDaily(dir: string, labelsDir?: string): { courses: CourseData[]; report: LoadReport } {
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new DatasetError(`not a folder: ${dir}`);
  const files = fs
    .readdirSync(dir)
    .filter((name) => /^course_.+\.csv$/.test(name))
    .sort();
  if (files.length === 0) throw new DatasetError(`no course_*.csv files in ${dir}`);
  const labelsPath = [dir, labelsDir].filter((d): d is string => !!d).map((d) => path.join(d, 'labels.csv')).find((p) => fs.existsSync(p));
  if (!labelsPath) throw new DatasetError(`no labels.csv in ${dir}${labelsDir ? ` or ${labelsDir}` : ''}`);
  const labels = readLabels(labelsPath);
  const report: LoadReport = { courses: 0, enrollments: 0, unlabeled: 0, badRows: 0 };
  const courses = files.map((file) => {
    const course = readCourse(path.join(dir, file), file.replace(/^course_|\.csv$/g, ''), report);
    for (const enrollment of course.enrollments) {
      enrollment.label = labels.get(enrollment.id);
      if (enrollment.label === undefined) report.unlabeled++;
    }
    report.courses++;
    report.enrollments += course.enrollments.length;
    return course;
  });
  return { courses, report };
}

function readLabels(file: string): Map<string, number> {
  const labels = new Map<string, number>();
  const lines = fs.readFileSync(file, 'utf8').split(/\r?\n/);
  for (let i = 1; i < lines.length; i++) {
    const [id, value] = lines[i].split(',');
    if (id && (value === '0' || value === '1')) labels.set(id.trim(), Number(value));
  }
  return labels;
}

function readCourse(file: string, courseId: string, report: LoadReport): CourseData {
  const lines = fs.readFileSync(file, 'utf8').split(/\r?\n/);
  const header = lines[0].split(',').map((h) => h.trim());
  const idCol = header.indexOf('enrollment_id');
  const timeCol = header.indexOf('time');
  const columns = KDD_COLUMNS.map(([name, category]) => [header.indexOf(name), category] as const);
  if (idCol < 0 || timeCol < 0 || columns.some(([col]) => col < 0)) throw new DatasetError(`${file}: unexpected header`);
  const byId = new Map<string, Enrollment>();
  let start = Infinity;
  let end = -Infinity;
  for (let i = 1; i < lines.length; i++) {
    if (!lines[i]) continue;
    const cells = lines[i].split(',');
    const time = Date.parse(`${cells[timeCol]}T00:00:00Z`);
    if (!cells[idCol] || Number.isNaN(time)) {
      report.badRows++;
      continue;
    }
    const day = dayNumber(time);
    start = Math.min(start, day);
    end = Math.max(end, day);
    let enrollment = byId.get(cells[idCol]);
    if (!enrollment) byId.set(cells[idCol], (enrollment = { id: cells[idCol], days: [] }));
    const activity = toDailyActivity(day, cells, columns);
    if (activity === 'bad') report.badRows++;
    else if (activity) enrollment.days.push(activity);
  }
  if (!Number.isFinite(start)) throw new DatasetError(`${file}: no rows`);
  for (const enrollment of byId.values()) enrollment.days.sort((a, b) => a.day - b.day);
  return { courseId, start, end, enrollments: [...byId.values()] };
}

function toDailyActivity(
  day: number,
  cells: string[],
  columns: ReadonlyArray<readonly [number, ActivityCategory]>,
): DailyActivity | undefined | 'bad' {
  const counts: DailyActivity['counts'] = {};
  let total = 0;
  for (const [col, category] of columns) {
    const value = Number(cells[col]);
    if (!Number.isFinite(value) || value < 0) return 'bad';
    if (value > 0) counts[category] = value;
    total += value;
  }
  if (total === 0) return undefined;
  return dailyActivity(day, { counts });
}

/** The feature layout used for KDD daily data: its seven categories, four trailing weeks, ten 3-day periods. */
export const KDD_TABLE_SPEC: TableSpec = { channels: KDD_CATEGORIES, weeks: 4, steps: 10, stepDays: 3 };

/** KDD courses as feature-builder input (each learner observed over the whole course window). */
export function kddCourseInputs(courses: readonly CourseData[]): CourseInput[] {
  return courses.map((c) => ({
    courseId: c.courseId,
    window: { start: c.start, end: c.end },
    learners: c.enrollments.filter((e) => e.label !== undefined).map((e) => ({ days: e.days, label: e.label })),
  }));
}
