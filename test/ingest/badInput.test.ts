import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { importFiles } from '../../src/ingest/fileImport';
import { Prng } from '../../src/generator';
import { useTestDb } from '../support';
import { generate, readJsonLines, tempDir } from './helpers';

type Line = Record<string, unknown> & { context: Record<string, unknown> };

describe('bad input is rejected with a reason, counted, and never stops the import', () => {
  useTestDb();
  const dir = tempDir('bad');
  let valid: Line[] = [];

  beforeAll(async () => {
    await generate(dir, { learners: 30, weeks: 2, seed: 3 });
    valid = readJsonLines<Line>(path.join(dir, 'tracking.log.gz')).filter((l) => l.username);
  });

  it('fuzz: thousands of corrupted lines among valid ones, every count adds up', async () => {
    const random = new Prng(99);
    const corruptions: Array<[string, (l: Line) => string]> = [
      ['malformed_json', (l) => JSON.stringify(l).slice(0, 10 + random.intBetween(0, 60))],
      ['malformed_json', (l) => `${JSON.stringify(l)}}`.replace('"', '')],
      ['not_an_object', () => JSON.stringify([1, 2, 3])],
      ['missing_user', (l) => JSON.stringify({ ...l, username: undefined, event: {}, context: { ...l.context, user_id: undefined } })],
      ['anonymous_user', (l) => JSON.stringify({ ...l, username: '', event: {}, context: { ...l.context, user_id: '' } })],
      ['missing_course', (l) => JSON.stringify({ ...l, event_type: 'seq_next', name: 'seq_next', event: '{}', context: { ...l.context, course_id: '', path: '/x' } })],
      ['bad_time', (l) => JSON.stringify({ ...l, time: '2014-13-45T99:00:00+00:00' })],
      ['bad_time', (l) => JSON.stringify({ ...l, time: '1970-01-01T00:00:00+00:00' })],
      ['bad_time', (l) => JSON.stringify({ ...l, time: '2999-01-01T00:00:00+00:00' })],
      ['line_too_long', (l) => JSON.stringify({ ...l, agent: 'x'.repeat(1024 * 1024 + 10) })],
    ];
    const expected: Record<string, number> = {};
    const out: string[] = [];
    let bad = 0;
    for (let i = 0; i < 6000; i++) {
      const line = valid[i % valid.length];
      if (random.chance(0.5)) {
        const [reason, corrupt] = corruptions[random.intBetween(0, corruptions.length - 1)];
        if (reason === 'line_too_long' && random.chance(0.9)) continue;
        out.push(corrupt(line));
        expected[reason] = (expected[reason] ?? 0) + 1;
        bad++;
      } else out.push(JSON.stringify(line));
    }
    out.splice(100, 0, '', '   ', '');
    const file = path.join(dir, 'fuzz.log');
    fs.writeFileSync(file, out.join('\n'));
    const result = await importFiles({ format: 'tracking-log', paths: [file] });
    expect(bad).toBeGreaterThan(2500);
    expect(result.read).toBe(out.length - 3);
    expect(result.rejectedByReason).toEqual(expected);
    expect(result.rejected).toBe(bad);
    expect(result.accepted).toBe(out.length - 3 - bad);
    expect(result.read).toBe(result.accepted + result.rejected);
    expect(Object.values(result.byCategory).reduce((a, b) => a + b, 0)).toBe(result.accepted);
  });

  it('keeps every complete line before a truncated gzip stream and counts the truncation', async () => {
    const lines = valid.slice(0, 2000).map((l) => JSON.stringify(l));
    const gz = zlib.gzipSync(lines.join('\n') + '\n');
    const file = path.join(dir, 'truncated.log.gz');
    fs.writeFileSync(file, gz.subarray(0, Math.floor(gz.length * 0.6)));
    const result = await importFiles({ format: 'tracking-log', paths: [file] });
    expect(result.rejectedByReason.truncated_gzip).toBe(1);
    const partial = result.rejectedByReason.malformed_json ?? 0;
    expect(partial).toBeLessThanOrEqual(1);
    expect(result.read).toBe(result.accepted + result.rejected);
    const decoded = zlib.gunzipSync(gz.subarray(0, Math.floor(gz.length * 0.6)), { finishFlush: zlib.constants.Z_SYNC_FLUSH }).toString('utf8');
    expect(result.accepted).toBe(decoded.split('\n').length - 1);
  });

  it('reports a file that is not gzip at all but has the magic bytes as truncated gzip, and goes on with the next file', async () => {
    const broken = path.join(dir, 'a-broken.log.gz');
    fs.writeFileSync(broken, Buffer.concat([Buffer.from([0x1f, 0x8b]), Buffer.from('garbage garbage')]));
    const good = path.join(dir, 'b-good.log');
    fs.writeFileSync(good, valid.slice(0, 10).map((l) => JSON.stringify(l)).join('\n'));
    const result = await importFiles({ format: 'tracking-log', paths: [broken, good] });
    expect(result).toMatchObject({ read: 11, accepted: 10, rejected: 1, rejectedByReason: { truncated_gzip: 1 } });
  });
});
