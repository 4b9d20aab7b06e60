import fs from 'node:fs';
import path from 'node:path';
import type { ActivityCategory, ActivityEvent } from '../../domain/activity';
import type { DayEntry } from '../dayEntry';
import type { IngestSession } from '../ingestSession';
import { upsertRoster } from '../learnerRoster';
import { storeOutcomes } from '../outcomes';
import { parseEventTime } from '../mappers/common';
import { splitCsv } from './csv';
import { readLines } from './lineReader';

/** KDD Cup 2015 event names → our categories (the seven the dataset has). */
export const KDD_CATEGORY: Record<string, ActivityCategory> = {
  access: 'access', problem: 'problem', page_close: 'page_close', navigate: 'navigate', video: 'video', discussion: 'forum', wiki: 'wiki',
};

/** Columns of the daily form, in file order, and their categories. */
const DAILY_COLUMNS: Array<[string, ActivityCategory, keyof DayEntry]> = [
  ['event_access', 'access', 'a'], ['event_discussion', 'forum', 'f'], ['event_navigate', 'navigate', 'n'],
  ['event_page_close', 'page_close', 'x'], ['event_problem', 'problem', 'p'], ['event_video', 'video', 'v'], ['event_wiki', 'wiki', 'w'],
];

type KddFileKind = 'log' | 'enrollment' | 'truth' | 'daily' | 'labels' | 'unknown';

/** What a KDD file holds, from its header (truth files have none: `id,0|1`). */
export function kddFileKind(file: string): KddFileKind {
  const fd = fs.openSync(file, 'r');
  const buf = Buffer.alloc(512);
  const n = fs.readSync(fd, buf, 0, 512, 0);
  fs.closeSync(fd);
  const header = buf.toString('utf8', 0, n).split(/\r?\n/)[0].trim();
  if (header.startsWith('enrollment_id,time,source,event,object')) return 'log';
  if (header.startsWith('enrollment_id,username,course_id')) return 'enrollment';
  if (header.startsWith('enrollment_id,time,event_access')) return 'daily';
  if (header === 'enrollment_id,dropout') return 'labels';
  if (/^\d+,[01]$/.test(header)) return 'truth';
  return 'unknown';
}

async function* csvRows(file: string, session: IngestSession, onBytes?: (n: number) => void, skipHeader = true): AsyncGenerator<string[]> {
  let first = skipHeader;
  for await (const item of readLines(file, { onBytes })) {
    if ('error' in item) {
      session.stats.read++;
      session.reject(item.error);
      continue;
    }
    if (first) {
      first = false;
      continue;
    }
    yield splitCsv(item.line);
  }
}

/** Reads dropout labels (`enrollment_id,dropout`) into learner outcomes of the enrollments' courses. */
async function importLabels(file: string, session: IngestSession, courseOf: (enrollmentId: string) => string | undefined, hasHeader: boolean): Promise<void> {
  const byCourse = new Map<string, Array<{ key: string; value: number }>>();
  for await (const row of csvRows(file, session, undefined, hasHeader)) {
    const [enrollmentId, dropout] = row;
    const course = courseOf(enrollmentId);
    if (!course || (dropout !== '0' && dropout !== '1')) continue;
    let list = byCourse.get(course);
    if (!list) byCourse.set(course, (list = []));
    list.push({ key: enrollmentId, value: Number(dropout) });
  }
  if (session.options.dryRun) return;
  for (const [courseId, list] of byCourse) {
    const dir = session.directory(courseId);
    await storeOutcomes(courseId, 'dropout', 'kdd', list.map(({ key, value }) => ({ ref: dir?.resolve('enrollment_id', key).ref ?? `?enrollment_id:${key}`, value })));
  }
}

/**
 * KDD Cup 2015 raw form: `enrollment_*.csv` (enrollment_id,username,course_id) makes the learners,
 * `log_*.csv` (enrollment_id,time,source,event,object) the events, `truth_*.csv` the dropout labels.
 */
export async function importKddRaw(files: string[], session: IngestSession, onBytes: (file: string) => (n: number) => void): Promise<void> {
  const kinds = files.map((f) => ({ file: f, kind: kddFileKind(f) }));
  const enrollments = new Map<string, { course: string; username: string }>();
  const courseIdOf = new Map<string, string>();
  for (const { file } of kinds.filter((k) => k.kind === 'enrollment')) {
    const rosters = new Map<string, Array<{ ids: { enrollment_id: string; username: string } }>>();
    for await (const row of csvRows(file, session, onBytes(file))) {
      const [enrollmentId, username, course] = row;
      if (!enrollmentId || !username || !course) continue;
      if (session.options.courseFilter && course !== session.options.courseFilter) continue;
      enrollments.set(enrollmentId, { course, username });
      let list = rosters.get(course);
      if (!list) rosters.set(course, (list = []));
      list.push({ ids: { enrollment_id: enrollmentId, username } });
    }
    for (const [course, entries] of rosters) {
      const courseId = await session.course(course);
      courseIdOf.set(course, courseId);
      if (!session.options.dryRun) await upsertRoster(courseId, entries, session.directory(courseId));
    }
  }
  for (const { file } of kinds.filter((k) => k.kind === 'log')) {
    for await (const row of csvRows(file, session, onBytes(file))) {
      session.stats.read++;
      const [enrollmentId, time, source, name, object] = row;
      const enrollment = enrollments.get(enrollmentId);
      const category = KDD_CATEGORY[name];
      if (row.length < 4 || !category) {
        session.reject('bad_row');
        continue;
      }
      if (!enrollment) {
        session.reject(session.options.courseFilter ? 'other_course' : 'missing_course');
        continue;
      }
      const at = parseEventTime(/[zZ]|[+-]\d\d:?\d\d$/.test(time) ? time : `${time}Z`);
      if (!at) {
        session.reject('bad_time');
        continue;
      }
      const event: ActivityEvent = {
        platform: 'kdd', source: 'kdd', courseId: enrollment.course, learnerKey: enrollmentId, learnerKeyType: 'enrollment_id',
        time: at, category, name: `${source}.${name}`, objectId: object || undefined,
      };
      const pending = session.add(event, session.archiving ? row.join(',') : undefined);
      if (pending) await pending;
    }
  }
  for (const { file, kind } of kinds.filter((k) => k.kind === 'truth' || k.kind === 'labels')) {
    await importLabels(file, session, (id) => { const e = enrollments.get(id); return e && courseIdOf.get(e.course); }, kind === 'labels');
  }
  for (const { file } of kinds.filter((k) => k.kind === 'unknown')) {
    session.stats.read++;
    session.reject('bad_row');
    void file;
  }
}

/**
 * KDD daily form (`course_<id>.csv`: one row per enrollment per day with counts by category, and
 * `labels.csv`): each course file becomes course `kdd-<id>`, each enrollment a learner, each
 * non-zero row one learner-day with exactly the file's counts.
 */
export async function importKddDaily(files: string[], session: IngestSession, onBytes: (file: string) => (n: number) => void): Promise<void> {
  const courseOfEnrollment = new Map<string, string>();
  for (const file of files.filter((f) => kddFileKind(f) === 'daily')) {
    const match = /course_([^/\\]+)\.csv$/.exec(path.basename(file));
    const external = `kdd-${match ? match[1] : path.basename(file, '.csv')}`;
    if (session.options.courseFilter && external !== session.options.courseFilter) continue;
    const courseId = await session.course(external);
    const rows: string[][] = [];
    const roster = new Map<string, { ids: { enrollment_id: string } }>();
    for await (const row of csvRows(file, session, onBytes(file))) {
      if (row[0] && !roster.has(row[0])) roster.set(row[0], { ids: { enrollment_id: row[0] } });
      rows.push(row);
    }
    if (!session.options.dryRun) await upsertRoster(courseId, [...roster.values()], session.directory(courseId));
    for (const row of rows) {
      session.stats.read++;
      const [enrollmentId, date] = row;
      const at = parseEventTime(`${date}T00:00:00Z`);
      if (row.length !== 2 + DAILY_COLUMNS.length || !enrollmentId) {
        session.reject('bad_row');
        continue;
      }
      if (!at) {
        session.reject('bad_time');
        continue;
      }
      const counts = DAILY_COLUMNS.map(([, category, field], i) => [category, field, Number(row[2 + i])] as const);
      if (counts.some(([, , n]) => !Number.isInteger(n) || n < 0)) {
        session.reject('bad_row');
        continue;
      }
      courseOfEnrollment.set(enrollmentId, courseId);
      const entry: DayEntry = { d: Math.floor(at.getTime() / 86_400_000) };
      for (const [, field, n] of counts) if (n > 0) (entry[field] as number) = n;
      await session.addDay(external, 'enrollment_id', enrollmentId, entry, counts.map(([category, , n]) => [category, n]));
    }
  }
  for (const file of files.filter((f) => kddFileKind(f) === 'labels')) {
    await importLabels(file, session, (id) => courseOfEnrollment.get(id), true);
  }
}
