import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { createInboundConnection } from '../dataConnections';
import { importFiles, type FileImportResult } from '../fileImport';
import { readLines } from '../sources/lineReader';

export interface DemoIngestResult {
  roster: FileImportResult;
  trackingLog: FileImportResult;
  /** Statements pushed to the LRS endpoint over HTTP, and the time they start from. */
  pushed: number;
  liveFrom: string;
}

/**
 * Brings a generated Open edX course (`keepup generate course --platform openedx`) in through the real
 * paths, as a deployment would: the roster, then the tracking log up to `liveFrom` as a file import
 * (the backfill), then the xAPI statements from `liveFrom` on pushed over HTTP to `baseUrl/xapi/statements`
 * with a freshly issued data connection (the live feed). Splitting at `liveFrom` keeps the two sources from
 * counting the same actions twice. `liveFrom` defaults to the time of the 80th percentile statement.
 */
export async function ingestDemoCourse(options: { dir: string; baseUrl: string; liveFrom?: Date; batchSize?: number }): Promise<DemoIngestResult> {
  const course = JSON.parse(fs.readFileSync(path.join(options.dir, 'course.json'), 'utf8')) as { courseId: string };
  const roster = await importFiles({ format: 'roster', paths: [path.join(options.dir, 'roster.jsonl')], course: course.courseId });
  const statements: Array<Record<string, unknown>> = [];
  for await (const item of readLines(path.join(options.dir, 'xapi.jsonl.gz'))) if ('line' in item) statements.push(JSON.parse(item.line));
  const times = statements.map((s) => Date.parse(String(s.timestamp))).sort((a, b) => a - b);
  const liveFrom = options.liveFrom ?? new Date(times[Math.floor(times.length * 0.8)] ?? Date.now());

  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'keepup-demo-'));
  try {
    const backfill = path.join(tmp, 'tracking.log.gz');
    const out = zlib.createGzip();
    const done = new Promise<void>((resolve, reject) => out.pipe(fs.createWriteStream(backfill)).on('finish', resolve).on('error', reject));
    for await (const item of readLines(path.join(options.dir, 'tracking.log.gz'))) {
      if (!('line' in item)) continue;
      const time = /"time":\s*"([^"]+)"/.exec(item.line)?.[1];
      if (time && Date.parse(time) < liveFrom.getTime() && !out.write(`${item.line}\n`)) await new Promise((r) => out.once('drain', r));
    }
    out.end();
    await done;
    const trackingLog = await importFiles({ format: 'tracking-log', paths: [backfill] });

    const issued = await createInboundConnection({ kind: 'xapi', platform: 'openedx', name: 'demo event-routing-backends' });
    const live = statements.filter((s) => Date.parse(String(s.timestamp)) >= liveFrom.getTime());
    const size = options.batchSize ?? 100;
    for (let i = 0; i < live.length; i += size) {
      const res = await fetch(`${options.baseUrl.replace(/\/+$/, '')}/xapi/statements`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-Experience-API-Version': '1.0.3', Authorization: `Basic ${Buffer.from(`${issued.key}:${issued.secret}`).toString('base64')}` },
        body: JSON.stringify(live.slice(i, i + size)),
      });
      if (!res.ok) throw new Error(`The LRS endpoint answered ${res.status}: ${await res.text()}`);
    }
    return { roster, trackingLog, pushed: live.length, liveFrom: liveFrom.toISOString() };
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}
