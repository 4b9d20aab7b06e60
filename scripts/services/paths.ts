import fs from 'node:fs';
import path from 'node:path';

/** The repository root, found from this file whether it runs as TypeScript or from dist/. */
export function repoRoot(): string {
  let dir = __dirname;
  for (;;) {
    const pkg = path.join(dir, 'package.json');
    if (fs.existsSync(pkg) && JSON.parse(fs.readFileSync(pkg, 'utf8')).name === 'keepup') return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('Cannot find the keepup repository root above ' + __dirname);
    dir = parent;
  }
}

/** Git-ignored cache folder for built binaries (FerretDB) and downloads. */
export function cacheDir(...parts: string[]): string {
  const dir = path.join(repoRoot(), '.cache', ...parts);
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}
