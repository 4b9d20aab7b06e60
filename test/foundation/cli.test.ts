import { spawnSync } from 'node:child_process';
import path from 'node:path';

const cli = path.join(__dirname, '..', '..', 'dist', 'src', 'cli', 'keepup.js');
const run = (...args: string[]) => spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', env: { ...process.env, MONGODB_URI: '' } });

describe('keepup CLI', () => {
  it('lists its subcommands with --help and exits 0', () => {
    const result = run('--help');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('Usage: keepup');
    for (const sub of ['serve', 'worker']) expect(result.stdout).toMatch(new RegExp(`^\\s+${sub}\\b`, 'm'));
  });

  it('exits 2 with usage on an unknown subcommand', () => {
    const result = run('frobnicate');
    expect(result.status).toBe(2);
    expect(result.stderr).toContain("error: unknown command 'frobnicate'");
    expect(result.stderr).toContain('Usage: keepup');
  });

  it('reports bad configuration by variable name, not a stack trace', () => {
    const result = spawnSync(process.execPath, [cli, 'serve'], { encoding: 'utf8', env: { PATH: process.env.PATH, MONGODB_URI: 'http://nope' } });
    expect(result.status).toBe(1);
    expect(result.stderr).toBe('keepup: Invalid configuration:\n  - MONGODB_URI must start with mongodb:// or mongodb+srv://\n');
  });
});
