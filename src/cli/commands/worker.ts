import type { Command } from 'commander';
import { loadConfig } from '../../config';
import { startWorker } from '../../../jobs/startWorker';
import { onShutdown } from '../shutdown';

/** `keepup worker`: processes background jobs (imports, nightly runs, messages). */
export function register(program: Command): void {
  program
    .command('worker')
    .description('run a background job worker')
    .option('--concurrency <n>', 'jobs at once per queue', (v) => Number.parseInt(v, 10), 2)
    .action(async (opts: { concurrency: number }) => {
      const running = await startWorker(loadConfig(), { concurrency: opts.concurrency });
      onShutdown(running.close);
    });
}
