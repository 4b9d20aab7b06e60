import { Types } from 'mongoose';
import { allocateAutoRound } from '../../src/messaging/campaignRounds';
import { Campaign } from '../../src/storage/models/Campaign';
import { log } from '../../src/log';
import { CourseScoredEvent, onCourseScored } from '../events/courseScored';
import { SendCampaignRoundTask } from './SendCampaignRoundTask';

/**
 * After each nightly run of a course, starts a round of every active automatic campaign of that course; the
 * round reaches only learners who newly match (the outbox never holds two rows for one campaign and learner).
 * Each (campaign, run date) gets one round even if the event is emitted twice.
 */
export class AutoCampaignProcessor {
  /** Handles one course-scored event; returns the rounds scheduled. */
  async handle(event: CourseScoredEvent): Promise<Array<{ campaignId: string; round: number }>> {
    const campaigns = await Campaign.find({ courseId: new Types.ObjectId(event.courseId), auto: true, status: 'active' }).select({ _id: 1 }).lean();
    const started: Array<{ campaignId: string; round: number }> = [];
    for (const campaign of campaigns) {
      const round = await allocateAutoRound(campaign._id, event.runDate);
      if (round === undefined) continue;
      await new SendCampaignRoundTask().schedule({ campaignId: String(campaign._id), round }, { jobId: `auto-${campaign._id}-${event.runDate}` });
      started.push({ campaignId: String(campaign._id), round });
    }
    if (started.length) log.info({ courseId: event.courseId, runDate: event.runDate, rounds: started.length }, 'automatic campaign rounds scheduled');
    return started;
  }

  /** Subscribes to course-scored events; returns the unsubscribe function. */
  register(): () => void {
    return onCourseScored(async (event) => {
      await this.handle(event);
    });
  }
}
