import type { Job, JobsOptions } from 'bullmq';
import { z } from 'zod';
import { ValidationError } from '../../src/errors';
import { log } from '../../src/log';
import { runEmitStep } from '../../src/scoring/finishRun';
import { runDateAt } from '../../src/scoring/runDate';
import { ensureRunIndexes, openRun, runCourse } from '../../src/scoring/runState';
import type { NightlyRunDoc } from '../../src/storage/models/NightlyRun';
import { BaseTask } from '../BaseTask';
import { NIGHTLY_JOBS, nextStep, scheduleStage, STEP_OPTIONS } from './nightlyStages';

const propsSchema = z.object({
  courseId: z.string().regex(/^[0-9a-f]{24}$/, 'must be a course _id'),
  /** Run date `YYYY-MM-DD`; default: the scheduled time's date in the course's time zone. */
  runDate: z.string().optional(),
  trigger: z.enum(['schedule', 'cli', 'admin', 'recovery']).default('schedule'),
  partitionSize: z.number().int().positive().optional(),
});

export type NightlyCourseRunProps = z.input<typeof propsSchema>;

/**
 * The nightly run of one course (what the per-course job scheduler fires): opens the run for its run date
 * (idempotent per course and date) and schedules the first unfinished stage of the flow
 * pull → aggregate → features → score → emit. A completed run is left alone.
 */
export class NightlyCourseRunTask extends BaseTask<NightlyCourseRunProps, string> {
  readonly jobName = NIGHTLY_JOBS.run;
  readonly queue = 'nightly' as const;

  override get options(): JobsOptions {
    return STEP_OPTIONS;
  }

  async perform(input: NightlyCourseRunProps, job?: Job<NightlyCourseRunProps>): Promise<string> {
    const parsed = propsSchema.safeParse(input);
    if (!parsed.success) throw ValidationError(`invalid nightly run: ${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`);
    const props = parsed.data;
    await ensureRunIndexes();
    const course = await runCourse(props.courseId);
    const runDate = props.runDate ?? runDateAt(scheduledAt(job), course.timeZone);
    const run = await openRun(props.courseId, runDate, props.trigger);
    await resumeRun(run, props.partitionSize);
    return run._id;
  }
}

/** When a job was meant to run: its creation time plus its delay (a scheduler adds each run delayed until its cron time). */
function scheduledAt(job?: Job): Date {
  if (!job) return new Date();
  return new Date(job.timestamp + (job.delay ?? job.opts.delay ?? 0));
}

/** Schedules the first unfinished stage of a run (nothing when the run is complete). */
export async function resumeRun(run: NightlyRunDoc, partitionSize?: number): Promise<void> {
  if (run.status === 'completed') return;
  const step = nextStep(run);
  if (!step) return runEmitStep(run);
  log.info({ runId: run._id, step }, 'nightly run: scheduling stage');
  await scheduleStage(run, step, { runId: run._id, partitionSize });
}
