import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { PurgeRawEventsTask } from '../../jobs/tasks/PurgeRawEventsTask';
import { createInboundConnection } from '../../src/ingest/dataConnections';
import { importFiles } from '../../src/ingest/fileImport';
import { receiveXapiStatements } from '../../src/ingest/pushIngest';
import { purgeRawEvents, rawEventId } from '../../src/ingest/rawArchive';
import { Course } from '../../src/storage/models/Course';
import { DataConnection, type DataConnectionDoc } from '../../src/storage/models/DataConnection';
import { RawEvent } from '../../src/storage/models/RawEvent';
import { useTestDb } from '../support';
import { courseIdOf, generate, readJsonLines, tempDir } from './helpers';

/** The accepted lines of a generated tracking log (those with a username), as text. */
function acceptedLines(file: string): string[] {
  return zlib.gunzipSync(fs.readFileSync(file)).toString('utf8').split('\n').filter((l) => l && (JSON.parse(l) as { username?: string }).username);
}

describe('raw-event archive', () => {
  useTestDb();
  const dir = tempDir('raw');
  let courseKey = '';
  let log = '';
  const savedDays = process.env.KEEPUP_RAW_ARCHIVE_DAYS;
  afterEach(() => {
    if (savedDays === undefined) delete process.env.KEEPUP_RAW_ARCHIVE_DAYS;
    else process.env.KEEPUP_RAW_ARCHIVE_DAYS = savedDays;
  });

  beforeAll(async () => {
    courseKey = (await generate(dir, { learners: 12, weeks: 2, seed: 5 })).courseId;
    log = path.join(dir, 'tracking.log.gz');
  });

  it('is off by default: an import archives nothing', async () => {
    delete process.env.KEEPUP_RAW_ARCHIVE_DAYS;
    const half = path.join(dir, 'first-half.log');
    const lines = zlib.gunzipSync(fs.readFileSync(log)).toString('utf8').split('\n').filter(Boolean);
    fs.writeFileSync(half, `${lines.slice(0, 200).join('\n')}\n`);
    const result = await importFiles({ format: 'tracking-log', paths: [half] });
    expect(result.archived).toBeUndefined();
    expect(await RawEvent.countDocuments()).toBe(0);
  });

  it('keeps one row per distinct accepted line, keyed by its content hash, and a replay adds none', async () => {
    const result = await importFiles({ format: 'tracking-log', paths: [log], archiveRaw: true });
    const accepted = acceptedLines(log);
    const distinct = new Set(accepted);
    expect(result.accepted).toBe(accepted.length);
    expect(result.archived).toEqual({ written: distinct.size, duplicates: 0 });
    expect(await RawEvent.countDocuments()).toBe(distinct.size);
    const courseId = await courseIdOf(courseKey);
    const sample = await RawEvent.findById(rawEventId(courseId, 'tracking-log', accepted[0])).lean();
    expect(sample).toMatchObject({ c: courseId, source: 'tracking-log', body: accepted[0] });

    const replay = await importFiles({ format: 'tracking-log', paths: [log], archiveRaw: true });
    expect(replay.replayedFiles).toHaveLength(1);
    expect(await RawEvent.countDocuments()).toBe(distinct.size);
  });

  it('stores a record seen before in another file once (duplicate-key no-op), with KEEPUP_RAW_ARCHIVE_DAYS turning the archive on', async () => {
    process.env.KEEPUP_RAW_ARCHIVE_DAYS = '30';
    const before = await RawEvent.countDocuments();
    const accepted = acceptedLines(log);
    const copy = path.join(dir, 'copy.log');
    fs.writeFileSync(copy, `${accepted.slice(0, 100).join('\n')}\n`);
    const result = await importFiles({ format: 'tracking-log', paths: [copy] });
    expect(result.replayedFiles).toHaveLength(0);
    expect(result.archived).toEqual({ written: 0, duplicates: new Set(accepted.slice(0, 100)).size });
    expect(await RawEvent.countDocuments()).toBe(before);
  });

  it('archives pushed xAPI statements of a connection that keeps raw events, once per statement', async () => {
    delete process.env.KEEPUP_RAW_ARCHIVE_DAYS;
    const statements = readJsonLines<Record<string, unknown>>(path.join(dir, 'xapi.jsonl.gz')).slice(0, 30);
    const issued = await createInboundConnection({ kind: 'xapi', platform: 'openedx' });
    const plain = await DataConnection.findById(issued.connectionId).lean<DataConnectionDoc>();
    await receiveXapiStatements(plain!, statements.slice(0, 5));
    expect(await RawEvent.countDocuments({ source: 'xapi' })).toBe(0);

    await DataConnection.updateOne({ _id: issued.connectionId }, { $set: { 'settings.archiveRaw': true } });
    const archiving = await DataConnection.findById(issued.connectionId).lean<DataConnectionDoc>();
    const result = await receiveXapiStatements(archiving!, statements);
    expect(result).toMatchObject({ status: 'ok', stored: 25, repeated: 5 });
    expect(await RawEvent.countDocuments({ source: 'xapi' })).toBe(25);
    await receiveXapiStatements(archiving!, statements);
    expect(await RawEvent.countDocuments({ source: 'xapi' })).toBe(25);
    const stored = await RawEvent.findOne({ source: 'xapi' }).lean();
    expect(statements.map((s) => s.id)).toContain((JSON.parse(stored!.body) as { id: string }).id);
  });

  it('the purge job removes rows older than the retention: the course setting, or KEEPUP_RAW_ARCHIVE_DAYS when shorter', async () => {
    const courseId = await courseIdOf(courseKey);
    await Course.updateOne({ _id: courseId }, { $set: { rawRetentionDays: 60 } });
    const total = await RawEvent.countDocuments({ c: courseId });
    const ids = (await RawEvent.find({ c: courseId }, { _id: 1 }).sort({ _id: 1 }).lean()).map((r) => r._id);
    const day = 86_400_000;
    await RawEvent.updateMany({ _id: { $in: ids.slice(0, 10) } }, { $set: { receivedAt: new Date(Date.now() - 61 * day) } });
    await RawEvent.updateMany({ _id: { $in: ids.slice(10, 30) } }, { $set: { receivedAt: new Date(Date.now() - 40 * day) } });

    delete process.env.KEEPUP_RAW_ARCHIVE_DAYS;
    expect(await new PurgeRawEventsTask().perform()).toMatchObject({ purged: 10 });
    expect(await RawEvent.countDocuments({ c: courseId })).toBe(total - 10);
    expect(await RawEvent.exists({ _id: ids[10] })).toBeTruthy();

    expect(await purgeRawEvents(new Date(), { KEEPUP_RAW_ARCHIVE_DAYS: '30' })).toBe(20);
    expect(await RawEvent.countDocuments({ c: courseId })).toBe(total - 30);
    expect(await RawEvent.exists({ _id: ids[10] })).toBeNull();
  });
});
