import { Types } from 'mongoose';
import { enqueueRound } from '../../src/messaging/campaignRounds';
import { BaseTask } from '../BaseTask';
import { DeliverOutboxItemTask } from './DeliverOutboxItemTask';

export interface SendCampaignRoundProps {
  campaignId: string;
  round: number;
}

/**
 * Sends one round of a campaign: resolves the dynamic audience against the latest run, writes the outbox rows
 * (unique per campaign and learner) and schedules their delivery. Safe to retry: rows and jobs are deduplicated.
 */
export class SendCampaignRoundTask extends BaseTask<SendCampaignRoundProps> {
  readonly jobName = 'messages.sendCampaignRound';
  readonly queue = 'messages' as const;

  async perform(props: SendCampaignRoundProps) {
    const result = await enqueueRound(new Types.ObjectId(props.campaignId), props.round);
    await new DeliverOutboxItemTask().scheduleMany(result.queued);
    return { round: result.round, queued: result.queued.length, matched: result.matched, alreadyMessaged: result.alreadyMessaged, optedOut: result.optedOut, excluded: result.excluded };
  }
}
