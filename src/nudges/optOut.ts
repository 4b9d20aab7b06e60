import type { Redis } from 'ioredis';
import { NotFoundError } from '../errors';
import { Assignment, assignmentKey } from '../storage/models/Assignment';
import { Experiment, ExperimentDoc } from '../storage/models/Experiment';
import { Learner } from '../storage/models/Learner';
import { Score } from '../storage/models/Score';
import { Course } from '../storage/models/Course';
import { buildWidgetContent, WidgetContent } from './nudgeContent';
import { NudgeCacheStore } from './NudgeCacheStore';

/**
 * Sets a learner's opt-out. One choice covers everything Keepup sends a learner: it sets both
 * `optOut.nudges` and `optOut.messages` (campaigns must skip `optOut.messages`), and rewrites the learner's
 * widget content at once and raises the course's cache version, so the next widget request already honours it
 * (in this web process at once, in others within their version poll interval). Opting back in clears both.
 */
export async function setLearnerOptOut(props: { courseId: string; learnerId: string; optOut: boolean; redis?: Redis; prefix?: string; now?: Date }): Promise<WidgetContent> {
  const now = props.now ?? new Date();
  const learner = await Learner.findOneAndUpdate(
    { _id: props.learnerId, courseId: props.courseId },
    { $set: { 'optOut.nudges': props.optOut, 'optOut.messages': props.optOut, 'optOut.at': now } },
    { returnDocument: 'after' },
  ).lean();
  if (!learner) throw NotFoundError('No such learner in this course.');
  let content: WidgetContent;
  if (props.optOut) {
    content = buildWidgetContent({ learner, score: null, experiment: null });
  } else {
    const course = await Course.findById(props.courseId).select({ lastScoredRunDate: 1 }).lean();
    const experiment = await Experiment.findOne({ courseId: props.courseId, status: 'running' }).lean<ExperimentDoc>();
    const [score, assignment] = await Promise.all([
      course?.lastScoredRunDate ? Score.findOne({ courseId: props.courseId, learnerId: props.learnerId, runDate: course.lastScoredRunDate }).lean() : null,
      experiment ? Assignment.findById(assignmentKey(experiment._id, props.learnerId)).lean() : null,
    ]);
    content = buildWidgetContent({ learner, score, experiment: experiment && assignment ? { id: String(experiment._id), arm: assignment.arm, arms: experiment.arms } : null });
  }
  const store = new NudgeCacheStore(props.redis, props.prefix);
  await store.putMany([{ courseId: props.courseId, learnerId: props.learnerId, runDate: null, content }]);
  await store.bumpVersion(props.courseId);
  return content;
}
