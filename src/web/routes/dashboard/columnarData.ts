import zlib from 'node:zlib';
import { promisify } from 'node:util';
import type { Redis } from 'ioredis';
import { Types } from 'mongoose';
import { Score } from '../../../storage/models/Score';
import type { RunColumns } from '../../dto/dashboardColumns';

const gzip = promisify(zlib.gzip);

/** Probabilities are sent as integers in thousandths (0–1000): three digits instead of seventeen. */
export const PROBABILITY_SCALE = 1000;

/** Reads a run's scores with a projection and builds its columns. */
export async function buildRunColumns(courseId: Types.ObjectId, runDate: string): Promise<RunColumns> {
  const cols: RunColumns = { courseId: String(courseId), runDate, n: 0, scale: PROBABILITY_SCALE, learnerId: [], dropout: [], completion: [], certificate: [], inactiveDays: [], lastWeekMinutes: [] };
  const runEnd = Date.parse(`${runDate}T23:59:59Z`);
  const cursor = Score.find({ courseId, runDate })
    .select({ _id: 0, learnerId: 1, dropout: 1, completion: 1, certificate: 1, 'activity.lastActiveAt': 1, 'activity.lastWeekMinutes': 1 })
    .lean<{ learnerId: Types.ObjectId; dropout: number; completion: number; certificate: number; activity?: { lastActiveAt?: Date; lastWeekMinutes?: number } }>()
    .cursor({ batchSize: 5000 });
  for await (const s of cursor) {
    cols.learnerId.push(String(s.learnerId));
    cols.dropout.push(Math.round(s.dropout * PROBABILITY_SCALE));
    cols.completion.push(Math.round(s.completion * PROBABILITY_SCALE));
    cols.certificate.push(Math.round(s.certificate * PROBABILITY_SCALE));
    const last = s.activity?.lastActiveAt;
    cols.inactiveDays.push(last ? Math.max(0, Math.floor((runEnd - last.getTime()) / 86_400_000)) : -1);
    cols.lastWeekMinutes.push(Math.round(s.activity?.lastWeekMinutes ?? 0));
  }
  cols.n = cols.learnerId.length;
  return cols;
}

/** Encoded columns: JSON and its gzip, ready to send. */
export interface EncodedColumns {
  json: Buffer;
  gzip: Buffer;
  etag: string;
}

const memory = new Map<string, EncodedColumns>();
const building = new Map<string, Promise<EncodedColumns>>();
const MEMORY_ENTRIES = 8;

/**
 * The encoded columns of a run: from this process's memory, else Redis (shared by web processes, two days),
 * else built from MongoDB once (concurrent requests wait for the same build).
 */
export async function runColumns(courseId: Types.ObjectId, runDate: string, redis?: Redis, prefix = 'keepup'): Promise<EncodedColumns> {
  const key = `${prefix}:dash:cols:${courseId}:${runDate}`;
  const cached = memory.get(key);
  if (cached) return cached;
  let pending = building.get(key);
  if (!pending) {
    pending = (async () => {
      const stored = redis ? await redis.getBuffer(key).catch(() => null) : null;
      let zipped = stored;
      if (!zipped) {
        const json = Buffer.from(JSON.stringify(await buildRunColumns(courseId, runDate)));
        zipped = await gzip(json, { level: 6 });
        if (redis) await redis.set(key, zipped, 'EX', 2 * 86_400).catch(() => undefined);
        return remember(key, { json, gzip: zipped, etag: etagFor(courseId, runDate) });
      }
      return remember(key, { json: zlib.gunzipSync(zipped), gzip: zipped, etag: etagFor(courseId, runDate) });
    })().finally(() => building.delete(key));
    building.set(key, pending);
  }
  return pending;
}

function etagFor(courseId: Types.ObjectId, runDate: string): string {
  return `"cols-${courseId}-${runDate}"`;
}

function remember(key: string, value: EncodedColumns): EncodedColumns {
  memory.set(key, value);
  while (memory.size > MEMORY_ENTRIES) memory.delete(memory.keys().next().value!);
  return value;
}

/** Forgets cached columns (tests, or after a run is rescored). */
export function forgetRunColumns(): void {
  memory.clear();
}
