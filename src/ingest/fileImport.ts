import crypto from 'node:crypto';
import path from 'node:path';
import type { Platform } from '../domain/activity';
import { ImportRun } from '../storage/models/ImportRun';
import { IngestSession } from './ingestSession';
import type { ImportSummary } from './importStats';
import type { LearnerKeyType } from './learnerDirectory';
import { upsertRoster, type RosterEntry } from './learnerRoster';
import { rawArchiveEnabled } from './rawArchive';
import { caliperEvents, mapCaliper } from './mappers/caliper';
import { mapTrackingLog } from './mappers/trackingLog';
import { mapXapi } from './mappers/xapi';
import { expandInputs, fileHash, totalBytes } from './sources/inputFiles';
import { readJsonRecords } from './sources/jsonRecords';
import { importKddDaily, importKddRaw } from './sources/kddFiles';
import { readLines } from './sources/lineReader';

export const IMPORT_FORMATS = ['tracking-log', 'xapi', 'caliper', 'kdd', 'kdd-daily', 'roster'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

export interface FileImportOptions {
  format: ImportFormat;
  paths: string[];
  /** Keep only this platform course id; names the course for sources that carry none. */
  course?: string;
  platform?: Platform;
  dryRun?: boolean;
  /** Called as bytes are read: (done, total). */
  onProgress?: (done: number, total: number) => void;
  /** Learner-days held in memory before a window is written. */
  windowLearnerDays?: number;
  /** Archive the raw records of accepted events (also on when `KEEPUP_RAW_ARCHIVE_DAYS` is set). Default false. */
  archiveRaw?: boolean;
}

export interface FileImportResult extends ImportSummary {
  runId: string;
  /** Files skipped because the same content was imported before (counted, not written again). */
  replayedFiles: string[];
  /** Contribution documents written, and those found already stored. */
  written: number;
  duplicates: number;
  /** Raw records archived and those found already archived, when the archive is on. */
  archived?: { written: number; duplicates: number };
}

const DEFAULT_PLATFORM: Record<ImportFormat, Platform> = {
  'tracking-log': 'openedx', xapi: 'openedx', caliper: 'openedx', kdd: 'kdd', 'kdd-daily': 'kdd', roster: 'openedx',
};

/**
 * Imports files of one format, streamed in bounded memory, and records the run in `import_runs`.
 * A file whose content (sha256, with the format and course filter) was fully imported by an earlier
 * completed run is read and counted again but not written: replays never double counts.
 */
export async function importFiles(options: FileImportOptions): Promise<FileImportResult> {
  const files = expandInputs(options.paths);
  const platform = options.platform ?? DEFAULT_PLATFORM[options.format];
  const session = new IngestSession({
    source: options.format === 'roster' ? 'tracking-log' : options.format,
    platform,
    courseFilter: options.course,
    defaultCourse: options.course,
    dryRun: options.dryRun,
    windowLearnerDays: options.windowLearnerDays,
    archiveRaw: options.format !== 'roster' && rawArchiveEnabled(options.archiveRaw),
  });
  const run = await ImportRun.create({ source: 'file', format: options.format, platform, paths: files.map((f) => path.resolve(f)), dryRun: !!options.dryRun });
  const total = totalBytes(files);
  let before = 0;
  const progress = new Map<string, number>();
  const onBytes = (file: string) => (n: number) => {
    progress.set(file, n);
    options.onProgress?.(before + n, total);
  };
  const fileKeys: string[] = [];
  const replayedFiles: string[] = [];
  try {
    if (options.format === 'kdd' || options.format === 'kdd-daily') {
      const key = `${options.format}:${options.course ?? ''}:${(await Promise.all(files.map(fileHash))).join(',')}`;
      const replay = await isReplay(key);
      if (replay) replayedFiles.push(...files);
      await session.beginContribution(contributionPrefix(key), !replay);
      if (options.format === 'kdd') await importKddRaw(files, session, onBytes);
      else await importKddDaily(files, session, onBytes);
      fileKeys.push(key);
    } else {
      for (const file of files) {
        const key = `${options.format}:${options.course ?? ''}:${await fileHash(file)}`;
        const replay = await isReplay(key);
        if (replay) replayedFiles.push(file);
        await session.beginContribution(contributionPrefix(key), !replay);
        await importFile(options.format, file, session, onBytes(file));
        before += progress.get(file) ?? 0;
        fileKeys.push(key);
      }
    }
    await session.finish();
    const summary = session.stats.summary();
    await ImportRun.updateOne(
      { _id: run._id },
      {
        $set: {
          ...summary,
          duplicates: session.stats.duplicates,
          otherNames: session.stats.topOtherNames(),
          courseIds: [...session.courseIds],
          fileKeys: options.dryRun ? [] : fileKeys,
          status: 'completed',
          finishedAt: new Date(),
        },
      },
    );
    return { ...summary, runId: String(run._id), replayedFiles, ...session.written, ...(session.archived && { archived: session.archived }) };
  } catch (error) {
    await ImportRun.updateOne({ _id: run._id }, { $set: { ...session.stats.summary(), status: 'failed', error: (error as Error).message, finishedAt: new Date() } });
    throw error;
  }
}

function contributionPrefix(fileKey: string): string {
  return `f${crypto.createHash('sha256').update(fileKey).digest('hex').slice(0, 16)}`;
}

async function isReplay(fileKey: string): Promise<boolean> {
  return !!(await ImportRun.exists({ fileKeys: fileKey, status: 'completed', dryRun: false }));
}

async function importFile(format: ImportFormat, file: string, session: IngestSession, onBytes: (n: number) => void): Promise<void> {
  const stats = session.stats;
  if (format === 'tracking-log') {
    const now = Date.now();
    for await (const item of readLines(file, { onBytes })) {
      stats.read++;
      if ('error' in item) {
        session.reject(item.error);
        continue;
      }
      let raw: unknown;
      try {
        raw = JSON.parse(item.line);
      } catch {
        session.reject('malformed_json');
        continue;
      }
      const mapped = mapTrackingLog(raw, now);
      if (!mapped.ok) {
        session.reject(mapped.reason);
        continue;
      }
      const wait = session.add(mapped.event, item.line);
      if (wait) await wait;
    }
    return;
  }
  if (format === 'roster') return importRoster(file, session, onBytes);
  for await (const record of readJsonRecords(file, onBytes)) {
    if ('error' in record) {
      stats.read++;
      session.reject(record.error);
      continue;
    }
    const items = format === 'caliper' ? (caliperEvents(record.value) ?? [record.value]) : [record.value];
    for (const item of items) {
      stats.read++;
      const mapped = format === 'xapi' ? mapXapi(item) : mapCaliper(item, { platform: session.options.platform });
      if (!mapped.ok) {
        session.reject(mapped.reason);
        continue;
      }
      const wait = session.add(mapped.event, item);
      if (wait) await wait;
    }
  }
}

const ROSTER_FIELDS: Array<[LearnerKeyType, string[]]> = [
  ['username', ['username']],
  ['user_id', ['user_id', 'userId']],
  ['anonymous_id', ['anonymous_id', 'anonymousId', 'anonymous_user_id']],
  ['canvas_user_id', ['canvas_user_id', 'canvasUserId']],
  ['lti_sub', ['lti_sub', 'ltiSub', 'sub']],
  ['enrollment_id', ['enrollment_id', 'enrollmentId']],
];

/** A roster (JSON lines or array of learners with their ids and course): creates learners, resolves pending activity. */
async function importRoster(file: string, session: IngestSession, onBytes: (n: number) => void): Promise<void> {
  const byCourse = new Map<string, RosterEntry[]>();
  for await (const record of readJsonRecords(file, onBytes)) {
    session.stats.read++;
    if ('error' in record) {
      session.reject(record.error);
      continue;
    }
    const r = record.value as Record<string, unknown>;
    if (!r || typeof r !== 'object') {
      session.reject('not_an_object');
      continue;
    }
    const course = String(r.course_id ?? r.courseId ?? r.course ?? session.options.defaultCourse ?? '');
    if (!course) {
      session.reject('missing_course');
      continue;
    }
    if (session.options.courseFilter && course !== session.options.courseFilter) {
      session.reject('other_course');
      continue;
    }
    const ids: RosterEntry['ids'] = {};
    for (const [type, names] of ROSTER_FIELDS) {
      const value = names.map((n) => r[n]).find((v) => typeof v === 'string' || typeof v === 'number');
      if (value !== undefined && value !== '') ids[type] = String(value);
    }
    if (!Object.keys(ids).length) {
      session.reject('missing_user');
      continue;
    }
    session.stats.accepted++;
    let list = byCourse.get(course);
    if (!list) byCourse.set(course, (list = []));
    list.push({ ids, name: typeof r.name === 'string' ? r.name : undefined, email: typeof r.email === 'string' ? r.email : undefined });
  }
  if (session.options.dryRun) return;
  for (const [course, entries] of byCourse) {
    const courseId = await session.course(course);
    await upsertRoster(courseId, entries, session.directory(courseId));
  }
}
