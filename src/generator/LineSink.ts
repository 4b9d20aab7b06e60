import { createWriteStream, WriteStream } from 'node:fs';
import { once } from 'node:events';
import { createGzip, Gzip } from 'node:zlib';

/** Lines buffered before a write to the stream (keeps the number of writes, and memory, small). */
const FLUSH_CHARS = 1 << 20;

/**
 * Writes text lines to a file, gzip-compressed when the name ends in `.gz`, honouring backpressure:
 * `write` resolves immediately while the buffer is small and waits for `drain` when the stream is
 * saturated, so memory stays bounded however much is written. Gzip output has no timestamp, so the
 * same lines always give the same bytes.
 */
export class LineSink {
  private readonly file: WriteStream;
  private readonly head: Gzip | WriteStream;
  private buffer: string[] = [];
  private bufferedChars = 0;
  private failure: Error | undefined;
  lines = 0;

  constructor(readonly path: string) {
    this.file = createWriteStream(path);
    this.file.on('error', (error) => (this.failure ??= error));
    if (path.endsWith('.gz')) {
      const gzip = createGzip({ level: 1 });
      gzip.pipe(this.file);
      this.head = gzip;
    } else {
      this.head = this.file;
    }
  }

  /** Queues one line (without its newline); resolves when the stream can take more. */
  async write(line: string): Promise<void> {
    if (this.failure) throw this.failure;
    this.buffer.push(line);
    this.bufferedChars += line.length + 1;
    this.lines++;
    if (this.bufferedChars >= FLUSH_CHARS) await this.flush();
  }

  /** Queues many lines at once (one await per batch instead of per line). */
  async writeAll(lines: readonly string[]): Promise<void> {
    if (this.failure) throw this.failure;
    for (const line of lines) {
      this.buffer.push(line);
      this.bufferedChars += line.length + 1;
    }
    this.lines += lines.length;
    if (this.bufferedChars >= FLUSH_CHARS) await this.flush();
  }

  private async flush(): Promise<void> {
    if (this.buffer.length === 0) return;
    const chunk = this.buffer.join('\n') + '\n';
    this.buffer = [];
    this.bufferedChars = 0;
    if (!this.head.write(chunk)) await this.drained();
    if (this.failure) throw this.failure;
  }

  /** Resolves on `drain`, or when the file closed early (after an error). */
  private drained(): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        this.head.off('drain', done);
        this.file.off('close', done);
        resolve();
      };
      this.head.once('drain', done);
      this.file.once('close', done);
    });
  }

  /** Flushes, ends the stream and waits until the file is fully written. */
  async close(): Promise<void> {
    await this.flush();
    if (!this.file.closed) {
      const finished = once(this.file, 'close');
      this.head.end();
      await finished.catch(() => undefined);
    }
    if (this.failure) throw this.failure;
  }
}
