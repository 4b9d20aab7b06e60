import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { main } from '../../src/cli/keepup';
import { parseEffect } from '../../src/cli/commands/generate';
import { tempDir } from './helpers';

/** Runs the CLI in-process, capturing what it prints. */
async function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const out = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => ((stdout += String(chunk)), true));
  const err = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => ((stderr += String(chunk)), true));
  try {
    const code = await main(['node', 'keepup', ...args]);
    return { code, stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

describe('keepup generate course', () => {
  const dir = tempDir('cli');
  const base = ['generate', 'course', '--platform', 'openedx', '--learners', '12', '--weeks', '2', '--seed', '5'];

  it('writes the course and exits 0, printing a JSON summary with --json', async () => {
    const out = path.join(dir, 'ok');
    const result = await run([...base, '--out', out, '--json', '--design', 'interactive', '--course-id', 'course-v1:TestX+CS1+2025']);
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.stdout.trim().split('\n').pop()!);
    expect(summary).toMatchObject({ platform: 'openedx', courseId: 'course-v1:TestX+CS1+2025', learners: 12, weeks: 2, design: 'interactive' });
    expect(existsSync(path.join(out, 'tracking.log.gz'))).toBe(true);
    expect(JSON.parse(readFileSync(path.join(out, 'course.json'), 'utf8')).design.preset).toBe('interactive');
  });

  it('exits 2 with a message naming the bad option', async () => {
    const cases: Array<[string[], string]> = [
      [['generate', 'course', '--platform', 'moodle', '--learners', '2', '--weeks', '2', '--seed', '1', '--out', dir], 'platform'],
      [['generate', 'course', '--platform', 'openedx', '--learners', 'ten', '--weeks', '2', '--seed', '1', '--out', dir], '--learners must be an integer'],
      [['generate', 'course', '--platform', 'openedx', '--learners', '0', '--weeks', '2', '--seed', '1', '--out', dir], 'learners'],
      [[...base, '--out', dir, '--start', '2025-02-30'], 'start is not a real calendar date'],
      [[...base, '--out', dir, '--design', 'flipped'], 'design'],
      [[...base, '--out', dir, '--course-id', 'not-a-key'], 'course id must look like course-v1:Org+Number+Run'],
      [[...base, '--out', dir, '--plant-effect', 'video=lots'], 'video must be a number'],
      [['generate', 'course', '--platform', 'openedx'], "required option '--learners <n>' not specified"],
    ];
    for (const [args, message] of cases) {
      const result = await run(args);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(message);
    }
  });

  it('exits 1 when the output folder cannot be written', async () => {
    const blocker = path.join(dir, 'ok', 'course.json');
    const result = await run([...base, '--out', path.join(blocker, 'inside')]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('generate course failed');
  });

  it('parses --plant-effect specs', () => {
    expect(parseEffect('video=1.3, problems=1.2,from-week=2,share=0.4,salt=exp1')).toEqual({ video: 1.3, problems: 1.2, fromWeek: 2, share: 0.4, salt: 'exp1' });
    expect(parseEffect('correct=-0.5')).toEqual({ correct: -0.5 });
    expect(() => parseEffect('speed=2')).toThrow('unknown or empty "speed=2"');
  });
});
