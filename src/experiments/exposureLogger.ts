import { Types } from 'mongoose';
import { dayNumber } from '../domain/activity';
import { Assignment, assignmentKey } from '../storage/models/Assignment';
import { Exposure, exposureKey } from '../storage/models/Exposure';
import type { WidgetContent } from '../nudges/nudgeContent';
import type { Placement } from '../nudges/strategies';
import { HOLDOUT_ARM } from './assignment';

/**
 * Records that a learner's widget was shown in an experiment arm today: one document per
 * (experiment, learner, UTC day), keyed by `_id`, so repeated views only raise `views`.
 * Holdout learners and learners outside an experiment are not exposures. Returns whether it was the first view today.
 */
export async function logExposure(props: { courseId: string; learnerId: string; content: WidgetContent; placement: Placement; now?: Date }): Promise<{ logged: boolean; firstToday: boolean }> {
  const { content } = props;
  if (!content.experimentId || !content.arm || content.arm === HOLDOUT_ARM || content.optedOut || !content.strategy) return { logged: false, firstToday: false };
  const now = props.now ?? new Date();
  const day = dayNumber(now);
  const filter = { _id: exposureKey(content.experimentId, props.learnerId, day) };
  const update = {
    $setOnInsert: { experimentId: new Types.ObjectId(content.experimentId), learnerId: new Types.ObjectId(props.learnerId), day, courseId: new Types.ObjectId(props.courseId), arm: content.arm, strategy: content.strategy, placement: props.placement, text: content.messages[props.placement] ?? '', firstAt: now },
    $inc: { views: 1 },
  };
  try {
    const res = await Exposure.updateOne(filter, update, { upsert: true });
    if (res.upsertedCount === 1) await Assignment.updateOne({ _id: assignmentKey(content.experimentId, props.learnerId) }, { $inc: { exposureDays: 1 } });
    return { logged: true, firstToday: res.upsertedCount === 1 };
  } catch (error) {
    // Two first views racing: the unique index lets one insert; count this view on the winner.
    if ((error as { code?: number }).code !== 11000) throw error;
    await Exposure.updateOne(filter, { $inc: { views: 1 } });
    return { logged: true, firstToday: false };
  }
}
