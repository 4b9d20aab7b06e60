import { emitCourseScored } from '../../jobs/events/courseScored';
import { Course } from '../storage/models/Course';
import { NightlyRun, type NightlyRunDoc } from '../storage/models/NightlyRun';
import { finishedParts, finishStep, startStep, stepFinished } from './runState';
import type { PartitionSums } from './scorePartition';
import { WHAT_IF_NOTE } from './whatIf';

/**
 * Closes the score step once every partition is scored: the run's means and course-level "what would
 * help" (the mean of the learners' model estimates), then `Course.lastScoredRunDate` (never moved back to an
 * older date, e.g. by re-scoring a past day).
 */
export async function finishScoreStep(run: NightlyRunDoc): Promise<void> {
  if (stepFinished(run, 'score')) return;
  const parts = [...(await finishedParts(run._id, 'score')).values()];
  const total: PartitionSums = { n: 0, dropout: 0, completion: 0, certificate: 0, video: 0, problem: 0 };
  for (const p of parts) {
    total.n += p.n;
    for (const k of ['dropout', 'completion', 'certificate', 'video', 'problem'] as const) total[k] += p.sums?.[k] ?? 0;
  }
  const mean = (x: number) => (total.n ? Math.round((x / total.n) * 10000) / 10000 : 0);
  await finishStep(run._id, 'score', 'done', `${total.n} learners scored`, {
    learnersScored: total.n,
    means: { dropout: mean(total.dropout), completion: mean(total.completion), certificate: mean(total.certificate) },
    whatIf: { certificatePerVideoHour: mean(total.video), certificatePerProblem: mean(total.problem), note: WHAT_IF_NOTE },
  });
  const course = await Course.findById(run.courseId, { lastScoredRunDate: 1 }).lean();
  if (course && (!course.lastScoredRunDate || course.lastScoredRunDate < run.runDate)) {
    await Course.updateOne({ _id: run.courseId }, { $set: { lastScoredRunDate: run.runDate } });
  }
}

/** Emit step: tells the course-scored processors (campaigns, nudges, insights), then completes the run. */
export async function runEmitStep(run: NightlyRunDoc): Promise<void> {
  if (!stepFinished(run, 'emit')) {
    await startStep(run._id, 'emit');
    const result = await emitCourseScored({ courseId: run.courseId, runDate: run.runDate });
    await finishStep(run._id, 'emit', 'done', `${result.handlers} processor(s) notified${result.failed ? `, ${result.failed} failed` : ''}`);
  }
  await NightlyRun.updateOne({ _id: run._id }, { $set: { status: 'completed', stage: 'emit', finishedAt: new Date() } });
}
