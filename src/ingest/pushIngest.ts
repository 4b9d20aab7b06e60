import crypto from 'node:crypto';
import { Types } from 'mongoose';
import type { ActivityEvent } from '../domain/activity';
import { log } from '../log';
import { Course } from '../storage/models/Course';
import { DataConnection, type DataConnectionDoc } from '../storage/models/DataConnection';
import { ImportRun } from '../storage/models/ImportRun';
import { XapiStatement } from '../storage/models/XapiStatement';
import { IngestSession } from './ingestSession';
import type { ImportSummary, RejectReason } from './importStats';
import { caliperEvents } from './mappers/caliper';
import { mapXapi } from './mappers/xapi';
import { rawArchiveEnabled } from './rawArchive';

/** Why one statement or event of a push was refused. */
export interface PushProblem {
  index: number;
  reason: RejectReason | 'conflict';
  message: string;
}

export type XapiPushResult =
  | { status: 'ok'; ids: string[]; stored: number; repeated: number }
  | { status: 'invalid'; problems: PushProblem[] }
  | { status: 'conflict'; problems: PushProblem[] };

/** Canonical JSON (sorted keys) so the same statement always hashes the same. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

function hash(text: string): string {
  return crypto.createHash('sha256').update(text).digest('hex');
}

/** The platform course id a connection is limited to, or undefined for any course. */
async function allowedCourse(connection: DataConnectionDoc): Promise<string | undefined> {
  if (!connection.courseId) return undefined;
  const course = await Course.findById(connection.courseId, { externalId: 1 }).lean();
  return course?.externalId;
}

/**
 * Receives xAPI statements as an LRS does (xAPI 1.0.3 statements resource): the batch is checked
 * whole first, so one invalid statement refuses the batch with a reason per statement and nothing is
 * stored; a statement id already stored with the same content is accepted again without counting it
 * twice; the same id with different content is a conflict (409). New statements are stored under their
 * id (unique), aggregated as one contribution keyed by the batch, then marked aggregated.
 */
export async function receiveXapiStatements(connection: DataConnectionDoc, statements: unknown[], options: { forcedId?: string } = {}): Promise<XapiPushResult> {
  const now = new Date();
  const courseLimit = await allowedCourse(connection);
  const problems: PushProblem[] = [];
  const prepared: Array<{ id: string; h: string; statement: Record<string, unknown>; event: ActivityEvent }> = [];
  statements.forEach((raw, index) => {
    const withId = raw && typeof raw === 'object' && !Array.isArray(raw) ? { ...(raw as Record<string, unknown>) } : raw;
    if (withId && typeof withId === 'object' && options.forcedId) {
      const given = (withId as Record<string, unknown>).id;
      if (given !== undefined && given !== options.forcedId) {
        problems.push({ index, reason: 'invalid_statement', message: 'id: does not match the statementId parameter' });
        return;
      }
      (withId as Record<string, unknown>).id = options.forcedId;
    }
    const mapped = mapXapi(withId, { defaultTime: now, now: now.getTime() });
    if (!mapped.ok) return void problems.push({ index, reason: mapped.reason, message: mapped.detail ?? mapped.reason });
    if (!mapped.event.courseId) return void problems.push({ index, reason: 'missing_course', message: 'no course key in context.contextActivities or object.id' });
    if (courseLimit && mapped.event.courseId !== courseLimit) return void problems.push({ index, reason: 'course_not_allowed', message: `this connection only accepts statements of ${courseLimit}` });
    const statement = withId as Record<string, unknown>;
    statement.id ??= crypto.randomUUID();
    if (statement.timestamp === undefined) statement.timestamp = now.toISOString();
    prepared.push({ id: String(statement.id), h: hash(canonical(withId)), statement, event: { ...mapped.event, eventId: String(statement.id) } });
  });
  if (problems.length) return { status: 'invalid', problems };

  const inBatch = new Map<string, string>();
  prepared.forEach((p, index) => {
    const seen = inBatch.get(p.id);
    if (seen !== undefined && seen !== p.h) problems.push({ index, reason: 'conflict', message: `statement id ${p.id} appears twice with different content` });
    inBatch.set(p.id, p.h);
  });
  const existing = new Map<string, string>();
  for (const doc of await XapiStatement.find({ _id: { $in: [...inBatch.keys()] } }, { h: 1 }).lean()) existing.set(String(doc._id), doc.h);
  prepared.forEach((p, index) => {
    const stored = existing.get(p.id);
    if (stored !== undefined && stored !== p.h) problems.push({ index, reason: 'conflict', message: `statement ${p.id} is already stored with different content` });
  });
  if (problems.length) return { status: 'conflict', problems };

  const fresh = [...new Map(prepared.filter((p) => !existing.has(p.id)).map((p) => [p.id, p])).values()];
  if (fresh.length) {
    const batch = `x${hash(fresh.map((p) => p.id).sort().join(',')).slice(0, 16)}`;
    try {
      await XapiStatement.collection.insertMany(
        fresh.map((p) => ({ _id: p.id, connectionId: connection._id, h: p.h, b: batch, agg: false, statement: sanitizeKeys(p.statement), stored: now })) as never[],
        { ordered: false },
      );
    } catch (error) {
      const codes = ((error as { writeErrors?: Array<{ code: number }> }).writeErrors ?? []).map((e) => e.code);
      if (!codes.length || codes.some((c) => c !== 11000)) throw error;
    }
    await aggregateXapiBatch(connection, batch, fresh.map((p) => ({ event: p.event, raw: p.statement })));
  }
  return { status: 'ok', ids: prepared.map((p) => p.id), stored: fresh.length, repeated: prepared.length - fresh.length };
}

/**
 * Writes one batch of statements' activity (idempotent: keyed by the batch) and marks them aggregated;
 * archives each statement as received when the connection (or `KEEPUP_RAW_ARCHIVE_DAYS`) asks for it.
 */
export async function aggregateXapiBatch(connection: DataConnectionDoc, batch: string, statements: Array<{ event: ActivityEvent; raw: unknown }>): Promise<ImportSummary> {
  const session = new IngestSession({ source: 'xapi', platform: connection.platform, tenant: connection.tenant, archiveRaw: rawArchiveEnabled(connection.settings?.archiveRaw) });
  await session.beginContribution(batch);
  for (const { event, raw } of statements) {
    session.stats.read++;
    await session.add(event, raw);
  }
  await session.finish();
  await XapiStatement.updateMany({ b: batch }, { $set: { agg: true } });
  const summary = session.stats.summary();
  await recordPush(connection, 'xapi', summary, [...session.courseIds]);
  return summary;
}

/**
 * Re-aggregates statements stored but not marked aggregated (a crash between the two writes).
 * Safe to run any time: each batch is written under its own contribution key.
 */
export async function aggregatePendingStatements(olderThanMs = 60_000): Promise<number> {
  const cutoff = new Date(Date.now() - olderThanMs);
  const batches = new Map<string, { connectionId: Types.ObjectId; statements: Array<{ event: ActivityEvent; raw: unknown }> }>();
  for await (const doc of XapiStatement.find({ agg: false, stored: { $lt: cutoff } }).lean().cursor()) {
    const raw = restoreKeys(doc.statement);
    const mapped = mapXapi(raw, { defaultTime: doc.stored });
    if (!mapped.ok) continue;
    let batch = batches.get(doc.b);
    if (!batch) batches.set(doc.b, (batch = { connectionId: doc.connectionId, statements: [] }));
    batch.statements.push({ event: mapped.event, raw });
  }
  for (const [batch, { connectionId, statements }] of batches) {
    const connection = await DataConnection.findById(connectionId).lean<DataConnectionDoc>();
    if (connection) await aggregateXapiBatch(connection, batch, statements);
    else log.warn({ batch }, 'statements of a deleted connection left unaggregated');
  }
  return batches.size;
}

/**
 * Adds a push's counts to the connection's import run of the day (one `import_runs` row per
 * connection, format and UTC day, so pushes are listed with the file imports without one row each).
 */
export async function recordPush(connection: DataConnectionDoc, format: string, summary: ImportSummary, courseIds: string[]): Promise<void> {
  const period = new Date().toISOString().slice(0, 10);
  const inc: Record<string, number> = { read: summary.read, accepted: summary.accepted, rejected: summary.rejected };
  for (const [reason, n] of Object.entries(summary.rejectedByReason)) inc[`rejectedByReason.${reason}`] = n ?? 0;
  for (const [category, n] of Object.entries(summary.byCategory)) inc[`byCategory.${category}`] = n ?? 0;
  await ImportRun.updateOne(
    { connectionId: connection._id, format, period },
    { $inc: inc, $set: { status: 'completed', finishedAt: new Date(), platform: connection.platform }, $addToSet: { courseIds: { $each: courseIds } }, $setOnInsert: { source: 'push', startedAt: new Date() } },
    { upsert: true, strict: false },
  );
}

/** xAPI extension keys are IRIs containing `.`: stored with `.`→`\uff0e` and a leading `$`→`\uff04`. */
export function sanitizeKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sanitizeKeys);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k.replace(/\./g, '\uff0e').replace(/^\$/, '\uff04'), sanitizeKeys(v)]));
  }
  return value;
}

/** Undoes sanitizeKeys. */
export function restoreKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(restoreKeys);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k.replace(/\uff0e/g, '.').replace(/^\uff04/, '$'), restoreKeys(v)]));
  }
  return value;
}

/** A mapped event of a push, or why it was refused. */
export type PushedEvent = { ok: true; event: ActivityEvent } | { ok: false; reason: RejectReason; detail?: string };

/**
 * Stores pushed events (Caliper envelopes, Canvas Live Events). The contribution is keyed by a hash of
 * the payload, so a redelivered payload (webhooks retry) adds nothing. Invalid events are counted and
 * reported; the valid ones are kept. Each accepted event is archived as received when the connection
 * (or `KEEPUP_RAW_ARCHIVE_DAYS`) asks for it.
 */
export async function receiveEvents(connection: DataConnectionDoc, format: 'caliper' | 'canvas-live', payload: unknown, mapped: PushedEvent[]): Promise<{ summary: ImportSummary; problems: PushProblem[] }> {
  const courseLimit = await allowedCourse(connection);
  const session = new IngestSession({ source: format === 'caliper' ? 'caliper' : 'canvas-live', platform: connection.platform, tenant: connection.tenant, archiveRaw: rawArchiveEnabled(connection.settings?.archiveRaw) });
  const envelope = caliperEvents(payload);
  const raws = envelope && envelope.length === mapped.length ? envelope : mapped.length === 1 ? [payload] : [];
  await session.beginContribution(`${format === 'caliper' ? 'c' : 'l'}${hash(canonical(payload)).slice(0, 16)}`);
  const problems: PushProblem[] = [];
  for (const [index, item] of mapped.entries()) {
    session.stats.read++;
    if (!item.ok) {
      session.reject(item.reason);
      problems.push({ index, reason: item.reason, message: item.detail ?? item.reason });
    } else if (courseLimit && item.event.courseId !== courseLimit) {
      session.reject('course_not_allowed');
      problems.push({ index, reason: 'course_not_allowed', message: `this connection only accepts events of ${courseLimit}` });
    } else await session.add(item.event, raws[index]);
  }
  await session.finish();
  const summary = session.stats.summary();
  await recordPush(connection, format, summary, [...session.courseIds]);
  return { summary, problems };
}
