import type { Command } from 'commander';
import { z } from 'zod';
import { closeJobsConnection, configureJobs } from '../../../jobs/connection';
import { closeQueues } from '../../../jobs/queues';
import { NightlyCourseRunTask } from '../../../jobs/tasks/NightlyCourseRunTask';
import { loadConfig } from '../../config';
import { KeepupError } from '../../errors';
import { unloadPredictors } from '../../registry/modelRegistry';
import { parseRunDate, runDateAt } from '../../scoring/runDate';
import { runCourseNow } from '../../scoring/runCourseNow';
import { runCourse } from '../../scoring/runState';
import { connectMongo, disconnectMongo } from '../../storage/mongo';

const optionsSchema = z.object({
  course: z.string().regex(/^[0-9a-f]{24}$/, '--course must be a course id (24 hex characters)'),
  date: z.string().optional(),
  partitionSize: z.coerce.number().int().positive().optional(),
  queue: z.boolean().default(false),
  json: z.boolean().default(false),
});

/**
 * `keepup score --course <id> [--date YYYY-MM-DD]`: the course's nightly run, now. Runs the same step
 * functions as the nightly BullMQ flow in this process (resuming a run that stopped part way), or with
 * `--queue` hands the run to the workers. The run date defaults to today in the course's time zone.
 */
export function register(program: Command): void {
  program
    .command('score')
    .description("run a course's nightly pipeline now (pull, aggregate, features, score, emit)")
    .requiredOption('--course <id>', 'course _id')
    .option('--date <YYYY-MM-DD>', "run date (default: today in the course's time zone)")
    .option('--partition-size <n>', 'learners per partition')
    .option('--queue', 'schedule the run on the nightly queue instead of running it here')
    .option('--json', 'print the run summary as one JSON line')
    .action(async (raw: Record<string, unknown>) => {
      const parsed = optionsSchema.safeParse(raw);
      if (!parsed.success) {
        process.stderr.write(`keepup score: ${parsed.error.issues.map((i) => i.message).join('; ')}\n`);
        process.exitCode = 2;
        return;
      }
      const options = parsed.data;
      const config = loadConfig();
      await connectMongo(config.MONGODB_URI);
      try {
        const course = await runCourse(options.course);
        const runDate = options.date ? parseRunDate(options.date) : runDateAt(new Date(), course.timeZone);
        if (options.queue) {
          configureJobs({ redisUrl: config.REDIS_URL });
          const job = await new NightlyCourseRunTask().schedule({ courseId: options.course, runDate, trigger: 'cli', partitionSize: options.partitionSize });
          process.stdout.write(options.json ? `${JSON.stringify({ queued: true, jobId: job.id, runDate })}\n` : `queued nightly run ${runDate} of course ${options.course} (job ${job.id})\n`);
          await closeQueues();
          await closeJobsConnection();
          return;
        }
        const started = Date.now();
        const run = await runCourseNow(options.course, runDate, { trigger: 'cli', partitionSize: options.partitionSize, onProgress: (m) => !options.json && process.stderr.write(`${m}\n`) });
        const summary = { runId: run._id, status: run.status, learners: run.learners, learnersScored: run.learnersScored, means: run.means, modelVersions: run.modelVersions, seconds: (Date.now() - started) / 1000 };
        process.stdout.write(options.json ? `${JSON.stringify(summary)}\n` : `run ${run._id}: ${run.status}, ${run.learnersScored} of ${run.learners} learners scored in ${summary.seconds.toFixed(1)} s\n`);
      } catch (error) {
        if (!(error instanceof KeepupError)) throw error;
        process.stderr.write(`keepup score: ${error.message}\n`);
        process.exitCode = 1;
      } finally {
        await unloadPredictors();
        await disconnectMongo();
      }
    });
}
