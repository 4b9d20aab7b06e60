import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** Thrown when an input path does not exist: the import cannot run. */
export class InputNotFoundError extends Error {
  constructor(readonly inputPath: string) {
    super(`No such file or folder: ${inputPath}`);
    this.name = 'InputNotFoundError';
  }
}

/** Every file under the given files or folders (recursively, hidden files skipped), sorted by path. */
export function expandInputs(inputs: string[]): string[] {
  const files: string[] = [];
  const walk = (p: string) => {
    const stat = fs.statSync(p);
    if (stat.isDirectory()) {
      for (const name of fs.readdirSync(p).sort()) if (!name.startsWith('.')) walk(path.join(p, name));
    } else if (stat.isFile()) files.push(p);
  };
  for (const input of inputs) {
    if (!fs.existsSync(input)) throw new InputNotFoundError(input);
    walk(input);
  }
  return [...new Set(files)].sort();
}

/** sha256 of a file's bytes (hex), streamed. */
export async function fileHash(file: string): Promise<string> {
  const hash = crypto.createHash('sha256');
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 1024 * 1024 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Total size of the files, bytes. */
export function totalBytes(files: string[]): number {
  return files.reduce((sum, f) => sum + fs.statSync(f).size, 0);
}
