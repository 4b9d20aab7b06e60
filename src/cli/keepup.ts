#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { ConfigError } from '../config';
import { DatabaseUnreachableError } from '../storage/mongo';
import { commands } from './commands';

/** Exit status for usage errors (unknown subcommand, bad option), as the issue and sysexits-style CLIs use. */
const USAGE_EXIT = 2;

/** Builds the `keepup` program with every registered subcommand. */
export function buildProgram(): Command {
  const program = new Command('keepup')
    .description('Keepup: engagement predictions, instructor messaging and learner nudges for Canvas and Open edX')
    .showHelpAfterError()
    .exitOverride();
  for (const register of commands) register(program);
  return program;
}

/** Runs the CLI; resolves with the exit code for errors caught here. */
export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  if (argv.length <= 2) {
    program.outputHelp();
    return USAGE_EXIT;
  }
  try {
    await program.parseAsync(argv);
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') return 0;
      return USAGE_EXIT;
    }
    if (error instanceof ConfigError || error instanceof DatabaseUnreachableError) {
      process.stderr.write(`keepup: ${error.message}\n`);
      return 1;
    }
    process.stderr.write(`keepup: ${(error as Error)?.stack ?? error}\n`);
    return 1;
  }
}

if (require.main === module) {
  main(process.argv).then((code) => {
    if (code !== 0) process.exit(code);
  });
}
