import fs from 'node:fs';
import { readLines, type LineItem } from './lineReader';

/** Files up to this size that do not parse line by line are parsed whole (a JSON array or one pretty-printed object). */
const WHOLE_FILE_LIMIT = 256 * 1024 * 1024;

export type JsonRecord = { value: unknown } | { error: 'malformed_json' | 'line_too_long' | 'truncated_gzip' | 'read_error'; detail?: string };

/**
 * The JSON values of a file holding a JSON array, JSON lines, or a single (possibly pretty-printed)
 * JSON document: JSON lines are streamed; a document starting with `[` or spanning lines is parsed whole.
 */
export async function* readJsonRecords(path: string, onBytes?: (n: number) => void): AsyncGenerator<JsonRecord> {
  const head = firstChar(path);
  if (head === '[' || (head === '{' && !firstLineIsComplete(path))) {
    const size = fs.statSync(path).size;
    if (size <= WHOLE_FILE_LIMIT) {
      let value: unknown;
      try {
        value = JSON.parse(fs.readFileSync(path, 'utf8'));
      } catch (error) {
        yield { error: 'malformed_json', detail: (error as Error).message };
        return;
      } finally {
        onBytes?.(size);
      }
      if (Array.isArray(value)) for (const item of value) yield { value: item };
      else yield { value };
      return;
    }
  }
  for await (const item of readLines(path, { onBytes })) yield parseLine(item);
}

function parseLine(item: LineItem): JsonRecord {
  if ('error' in item) return item;
  try {
    return { value: JSON.parse(item.line) };
  } catch (error) {
    return { error: 'malformed_json', detail: (error as Error).message };
  }
}

function firstChar(path: string): string {
  const fd = fs.openSync(path, 'r');
  try {
    const buf = Buffer.alloc(4096);
    const n = fs.readSync(fd, buf, 0, 4096, 0);
    if (n >= 2 && buf[0] === 0x1f && buf[1] === 0x8b) return 'gzip';
    return buf.toString('utf8', 0, n).trimStart().charAt(0);
  } finally {
    fs.closeSync(fd);
  }
}

/** True when the first line of the file is a whole JSON value (so the file is JSON lines). */
function firstLineIsComplete(path: string): boolean {
  const fd = fs.openSync(path, 'r');
  try {
    const buf = Buffer.alloc(64 * 1024);
    const n = fs.readSync(fd, buf, 0, buf.length, 0);
    const text = buf.toString('utf8', 0, n);
    const nl = text.indexOf('\n');
    try {
      JSON.parse(nl === -1 ? text : text.slice(0, nl));
      return true;
    } catch {
      return false;
    }
  } finally {
    fs.closeSync(fd);
  }
}
