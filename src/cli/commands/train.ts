import type { Command } from 'commander';
import { z } from 'zod';
import { loadConfig } from '../../config';
import { unloadPredictors } from '../../registry/modelRegistry';
import { trainFromRuns } from '../../scoring/trainFromRuns';
import { connectMongo, disconnectMongo } from '../../storage/mongo';

const optionsSchema = z.object({
  course: z.string().regex(/^[0-9a-f]{24}$/, '--course must be a course id (24 hex characters)'),
  scope: z.enum(['course', 'platform']).default('course'),
  outcome: z.enum(['all', 'dropout', 'completion', 'certificate']).default('all'),
  model: z.enum(['auto', 'lr', 'mlp', 'lstm', 'cfin', 'ensemble']).default('lr'),
  json: z.boolean().default(false),
});

/**
 * `keepup train --course <id> [--scope course|platform] [--outcome …] [--model lr|mlp|lstm|cfin|auto]`:
 * trains models from the course's earlier nightly runs and the outcomes known since, on a worker thread,
 * and registers them; each replaces the active model only if it does at least as well on validation.
 */
export function register(program: Command): void {
  program
    .command('train')
    .description("train a course's (or its platform's) models from earlier runs once outcomes are known")
    .requiredOption('--course <id>', 'course _id')
    .option('--scope <scope>', 'course or platform', 'course')
    .option('--outcome <outcome>', 'all, dropout, completion or certificate', 'all')
    .option('--model <kind>', 'architecture: lr, mlp, lstm, cfin, ensemble or auto', 'lr')
    .option('--json', 'print the result as one JSON line')
    .action(async (raw: Record<string, unknown>) => {
      const parsed = optionsSchema.safeParse(raw);
      if (!parsed.success) {
        process.stderr.write(`keepup train: ${parsed.error.issues.map((i) => i.message).join('; ')}\n`);
        process.exitCode = 2;
        return;
      }
      const options = parsed.data;
      await connectMongo(loadConfig().MONGODB_URI);
      try {
        const results = await trainFromRuns(options.course, {
          scope: options.scope,
          kind: options.model,
          outcomes: options.outcome === 'all' ? undefined : [options.outcome],
          onProgress: (m) => process.stderr.write(`${m}\n`),
        });
        if (options.json) process.stdout.write(`${JSON.stringify({ course: options.course, scope: options.scope, results })}\n`);
      } catch (error) {
        process.stderr.write(`keepup train: ${(error as Error).message}\n`);
        process.exitCode = 1;
      } finally {
        await unloadPredictors();
        await disconnectMongo();
      }
    });
}
