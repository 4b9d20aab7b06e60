import { emitCourseScored } from '../../jobs/events/courseScored';
import { Course } from '../storage/models/Course';
import { NightlyRun, type NightlyRunDoc } from '../storage/models/NightlyRun';
import { finishStep, startStep, stepFinished } from './runState';
import type { PartitionSums } from './scorePartition';
import { WHAT_IF_NOTE } from './whatIf';

/**
 * Closes the score step once every partition is scored: the run's means and course-level "what would
 * help" (the mean of the learners' model estimates), then `Course.lastScoredRunDate` (never moved back to an
 * older date, e.g. by re-scoring a past day).
 */
export async function finishScoreStep(run: NightlyRunDoc): Promise<void> {
  if (stepFinished(run, 'score')) return;
  const parts = Object.values((run.scored ?? {}) as Record<string, PartitionSums>);
  const total = parts.reduce((s, p) => ({ n: s.n + p.n, dropout: s.dropout + p.dropout, completion: s.completion + p.completion, certificate: s.certificate + p.certificate, video: s.video + p.video, problem: s.problem + p.problem }), { n: 0, dropout: 0, completion: 0, certificate: 0, video: 0, problem: 0 });
  const mean = (x: number) => (total.n ? Math.round((x / total.n) * 10000) / 10000 : 0);
  await finishStep(run._id, 'score', 'done', `${total.n} learners scored`, {
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
