import type { Command } from 'commander';
import { register as keys } from './keys';
import { register as serve } from './serve';
import { register as simulator } from './simulator';
import { register as worker } from './worker';
import { register as generate } from './generate';
import { register as evaluate } from './eval';
import { register as importCommand } from './import';
import { register as score } from './score';
import { register as train } from './train';

/** Every `keepup` subcommand. Add one line per command module. */
export const commands: Array<(program: Command) => void> = [keys, serve, simulator, worker, generate, evaluate, importCommand, score, train];
