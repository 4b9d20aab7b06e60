import crypto from 'node:crypto';
import { z } from 'zod';
import { Course } from '../storage/models/Course';
import { RawEvent } from '../storage/models/RawEvent';
import { ContributionWriter } from './contributionWriter';

/** Retention of a course that sets none, days. */
export const DEFAULT_RAW_RETENTION_DAYS = 90;
/** Rows queued before they are handed to the writer (which inserts them in batches of 1,000, 3 in flight). */
const QUEUE = 1000;

const daysSchema = z.coerce.number().int().min(0).max(36_500);

/**
 * `KEEPUP_RAW_ARCHIVE_DAYS`: when set above 0, every file import and push archives its raw events and
 * none is kept longer than this many days. Unset or 0: the archive is off except for data connections
 * with `settings.archiveRaw` and imports run with `archiveRaw` (`keepup import --archive-raw`).
 */
export function rawArchiveDays(env: NodeJS.ProcessEnv = process.env): number | undefined {
  const value = env.KEEPUP_RAW_ARCHIVE_DAYS;
  if (value === undefined || value === '') return undefined;
  const days = daysSchema.parse(value);
  return days > 0 ? days : undefined;
}

/** Whether raw events are archived: globally (`KEEPUP_RAW_ARCHIVE_DAYS`), or for this connection or import. */
export function rawArchiveEnabled(requested?: boolean | null, env: NodeJS.ProcessEnv = process.env): boolean {
  return !!requested || rawArchiveDays(env) !== undefined;
}

/** The archive `_id` of a raw record: base64url sha256 of course, source and body. */
export function rawEventId(courseId: string, source: string, body: string): string {
  return crypto.createHash('sha256').update(`${courseId}\n${source}\n${body}`).digest('base64url');
}

/**
 * Queues raw events and inserts them in unordered batches while the import goes on (inserts only;
 * a record archived before is counted in `duplicates`). `add` returns a promise only when the
 * database is behind and the caller should wait.
 */
export class RawArchiveWriter {
  private readonly writer = new ContributionWriter({ collection: RawEvent.collection });
  private queue: Array<{ _id: string }> = [];

  constructor(readonly source: string) {}

  /** Rows inserted, and rows already stored. */
  get counts(): { written: number; duplicates: number } {
    return { written: this.writer.written, duplicates: this.writer.duplicates };
  }

  /** Queues one raw record (a string as received, or a parsed value stored as its JSON). */
  add(courseId: string, time: Date, raw: unknown): void | Promise<void> {
    const body = typeof raw === 'string' ? raw : JSON.stringify(raw);
    this.queue.push({ _id: rawEventId(courseId, this.source, body), c: courseId, source: this.source, t: time, body, receivedAt: new Date() } as { _id: string });
    if (this.queue.length >= QUEUE) return this.send();
  }

  /** Inserts everything queued and waits for the database. */
  async flush(): Promise<void> {
    await this.send();
    await this.writer.flush();
  }

  private send(): Promise<void> {
    const docs = this.queue;
    this.queue = [];
    return this.writer.add(docs);
  }
}

/** Archives raw events of one course now (outside an import session). */
export async function archiveRawEvents(courseId: string, source: string, events: Array<{ time: Date; body: unknown }>): Promise<void> {
  const writer = new RawArchiveWriter(source);
  for (const e of events) await writer.add(courseId, e.time, e.body);
  await writer.flush();
}

/**
 * Deletes archived raw events older than each course's retention: the shorter of the course's
 * `rawRetentionDays` (default 90) and `KEEPUP_RAW_ARCHIVE_DAYS` when set. Returns how many.
 */
export async function purgeRawEvents(now = new Date(), env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let purged = 0;
  const globalDays = rawArchiveDays(env);
  const courseIds: string[] = await RawEvent.distinct('c');
  for (const courseId of courseIds) {
    const course = await Course.findById(courseId, { rawRetentionDays: 1 }).lean().catch(() => null);
    const courseDays = course?.rawRetentionDays ?? DEFAULT_RAW_RETENTION_DAYS;
    const days = globalDays === undefined ? courseDays : Math.min(courseDays, globalDays);
    const cutoff = new Date(now.getTime() - days * 86_400_000);
    purged += (await RawEvent.deleteMany({ c: courseId, receivedAt: { $lt: cutoff } })).deletedCount ?? 0;
  }
  return purged;
}
