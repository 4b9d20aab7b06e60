import { compactCourseActivity, type CompactionResult } from '../../src/ingest/activityCompactor';
import { log } from '../../src/log';
import { Course } from '../../src/storage/models/Course';
import { BaseTask } from '../BaseTask';

export interface CompactActivityProps {
  /** Course `_id` (hex); every course when omitted. */
  courseId?: string;
}

/**
 * Folds each learner-week's activity contributions (one per import window, push batch or pulled
 * fact) into one document, so the nightly read path reads one document per learner-week. Safe to run
 * at any time, next to imports and nightly reads, and to rerun after a crash (see activityCompactor.ts).
 */
export class CompactActivityTask extends BaseTask<CompactActivityProps, CompactionResult> {
  readonly jobName = 'ingest.compactActivity';
  readonly queue = 'maintenance' as const;

  async perform(props: CompactActivityProps): Promise<CompactionResult> {
    const total: CompactionResult = { weeks: 0, merged: 0, removed: 0 };
    const courseIds = props.courseId ? [props.courseId] : (await Course.find({}, { _id: 1 }).lean()).map((c) => String(c._id));
    for (const courseId of courseIds) {
      const result = await compactCourseActivity(courseId);
      total.weeks += result.weeks;
      total.merged += result.merged;
      total.removed += result.removed;
      if (result.weeks) log.info({ courseId, ...result }, 'activity compacted');
    }
    return total;
  }
}
