import type { Command } from 'commander';
import { loadConfig } from '../../config';
import { startServer } from '../../web/server';
import { onShutdown } from '../shutdown';

/** `keepup serve`: the web server (LTI, dashboard, widget, APIs). */
export function register(program: Command): void {
  program
    .command('serve')
    .description('run the web server (PORT, MONGODB_URI, REDIS_URL)')
    .action(async () => {
      const running = await startServer(loadConfig());
      onShutdown(running.close);
    });
}
