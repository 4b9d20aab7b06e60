import type { Command } from 'commander';
import { register as serve } from './serve';
import { register as worker } from './worker';

/** Every `keepup` subcommand. Add one line per command module. */
export const commands: Array<(program: Command) => void> = [serve, worker];
