import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { buildSync } from 'esbuild';
import { tempDir } from './helpers';

/**
 * Runs the generator in a child process with a small heap cap and reports its peak RSS, so memory
 * growth with the number of learners can be measured away from jest's own allocations.
 */
describe('generator memory', () => {
  const dir = tempDir('memory');
  const runner = path.join(dir, 'runner.js');

  beforeAll(() => {
    const entry = path.join(dir, 'runner.ts');
    writeFileSync(
      entry,
      `import { generateCourse } from ${JSON.stringify(path.resolve(__dirname, '../../src/generator'))};
generateCourse({ platform: 'openedx', learners: Number(process.argv[2]), weeks: 4, seed: 'memory', xapi: true, out: process.argv[3] })
  .then((s) => console.log(JSON.stringify({ maxRssMb: process.resourceUsage().maxRSS / 1024, lines: s.files['tracking.log.gz'] })));`,
    );
    buildSync({ entryPoints: [entry], bundle: true, platform: 'node', outfile: runner, logLevel: 'error' });
  });

  const peak = (learners: number) =>
    JSON.parse(execFileSync(process.execPath, ['--max-old-space-size=64', runner, String(learners), path.join(dir, `out-${learners}`)], { encoding: 'utf8' }).trim()) as { maxRssMb: number; lines: number };

  it('keeps peak memory flat as learners grow 20-fold', () => {
    const small = peak(200);
    const large = peak(4000);
    expect(large.lines).toBeGreaterThan(15 * small.lines);
    // Flatness is the property; the absolute figure depends on the machine's Node build and page cache
    // (seen at 180-285 MB for the same run), so it only gets a generous sanity bound.
    expect(large.maxRssMb).toBeLessThan(small.maxRssMb + 60);
    expect(large.maxRssMb).toBeLessThan(500);
  }, 180_000);
});
