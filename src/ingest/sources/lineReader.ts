import fs from 'node:fs';
import zlib from 'node:zlib';

/** Lines longer than this are rejected (`line_too_long`) without being held in memory. */
export const MAX_LINE_BYTES = 1024 * 1024;

export type LineItem = { line: string } | { error: 'line_too_long' | 'truncated_gzip' | 'read_error'; detail?: string };

export interface ReadLinesOptions {
  maxLineBytes?: number;
  /** Called with the number of (compressed) file bytes read so far. */
  onBytes?: (bytes: number) => void;
}

/** True when the file starts with the gzip magic bytes. */
export function isGzip(path: string): boolean {
  const fd = fs.openSync(path, 'r');
  try {
    const head = Buffer.alloc(2);
    return fs.readSync(fd, head, 0, 2, 0) === 2 && head[0] === 0x1f && head[1] === 0x8b;
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Streams the lines of a plain or gzip file (detected by its magic bytes) in bounded memory:
 * one chunk plus at most one line of up to `maxLineBytes`. Longer lines, a truncated or corrupt
 * gzip stream and read errors come out as error items in place, and everything around them is kept.
 * Blank lines are skipped.
 */
export async function* readLines(path: string, options: ReadLinesOptions = {}): AsyncGenerator<LineItem> {
  const maxLine = options.maxLineBytes ?? MAX_LINE_BYTES;
  const file = fs.createReadStream(path, { highWaterMark: 1024 * 1024 });
  let bytes = 0;
  if (options.onBytes) file.on('data', (chunk) => options.onBytes!((bytes += chunk.length)));
  const gzip = isGzip(path);
  const stream: NodeJS.ReadableStream = gzip ? file.pipe(zlib.createGunzip()) : file;
  if (gzip) file.on('error', (error) => (stream as zlib.Gunzip).destroy(error));

  let carry: Buffer | undefined;
  let skipping = false;
  const out: LineItem[] = [];

  const takeLine = (buf: Buffer, start: number, end: number) => {
    if (end > start && buf[end - 1] === 0x0d) end--;
    if (end <= start) return;
    const line = buf.toString('utf8', start, end);
    const first = buf[start];
    if ((first === 0x20 || first === 0x09) && line.trim() === '') return;
    out.push({ line });
  };

  const consume = (chunk: Buffer) => {
    let pos = 0;
    while (pos < chunk.length) {
      const nl = chunk.indexOf(0x0a, pos);
      if (nl === -1) {
        const restLength = chunk.length - pos + (carry?.length ?? 0);
        if (skipping) return;
        if (restLength > maxLine) {
          out.push({ error: 'line_too_long' });
          skipping = true;
          carry = undefined;
          return;
        }
        carry = carry ? Buffer.concat([carry, chunk.subarray(pos)]) : Buffer.from(chunk.subarray(pos));
        return;
      }
      if (skipping) skipping = false;
      else if (carry) {
        const whole = Buffer.concat([carry, chunk.subarray(pos, nl)]);
        carry = undefined;
        if (whole.length > maxLine) out.push({ error: 'line_too_long' });
        else takeLine(whole, 0, whole.length);
      } else if (nl - pos > maxLine) out.push({ error: 'line_too_long' });
      else takeLine(chunk, pos, nl);
      pos = nl + 1;
    }
  };

  // Chunks are queued by hand rather than read with for-await: an async iterator drops the chunks
  // still buffered when the stream errors, and a truncated gzip must keep everything before the cut.
  const queue: Buffer[] = [];
  let done = false;
  let streamError: NodeJS.ErrnoException | undefined;
  let wake: (() => void) | undefined;
  const readable = stream as NodeJS.ReadableStream & { pause(): void; resume(): void };
  readable.on('data', (chunk: Buffer) => {
    queue.push(chunk);
    if (queue.length >= 8) readable.pause();
    wake?.();
  });
  readable.on('end', () => ((done = true), wake?.()));
  readable.on('error', (error: NodeJS.ErrnoException) => ((streamError = error), (done = true), wake?.()));
  try {
    for (;;) {
      const chunk = queue.shift();
      if (chunk) {
        if (queue.length < 2) readable.resume();
        consume(chunk);
        if (out.length) {
          yield* out;
          out.length = 0;
        }
        continue;
      }
      if (done) break;
      await new Promise<void>((resolve) => (wake = resolve));
      wake = undefined;
    }
  } finally {
    file.destroy();
  }
  let failure: LineItem | undefined;
  if (streamError) {
    const e = streamError;
    failure = gzip && (e.code === 'Z_BUF_ERROR' || e.code === 'Z_DATA_ERROR' || /unexpected end of file|incorrect header|invalid/.test(e.message))
      ? { error: 'truncated_gzip', detail: e.message }
      : { error: 'read_error', detail: e.message };
  }
  if (carry && !skipping) takeLine(carry, 0, carry.length);
  if (out.length) yield* out;
  if (failure) yield failure;
}
