import { Types } from 'mongoose';
import { Campaign, CampaignDoc } from '../storage/models/Campaign';
import { Course, CourseDoc } from '../storage/models/Course';
import { Learner } from '../storage/models/Learner';
import { OutboxItem } from '../storage/models/OutboxItem';
import { KeepupError, NotFoundError } from '../errors';
import { Audience, resolveAudience } from './audience';
import { audit } from './audit';
import { nextDeliveryTime } from './quietHours';

/** Rows a round created, to schedule for delivery. */
export interface EnqueuedRound {
  round: number;
  runDate: string;
  matched: number;
  alreadyMessaged: number;
  excluded: number;
  optedOut: number;
  queued: Array<{ _id: Types.ObjectId; notBefore: Date }>;
}

/** The audience definition stored on a campaign, in the shape audience functions take. */
export function campaignAudience(campaign: Pick<CampaignDoc, 'audience'>): Audience {
  const a = campaign.audience ?? {};
  const r = (v: { min: number; max: number } | null | undefined) => (v ? { min: v.min, max: v.max } : null);
  return { dropout: r(a.dropout), completion: r(a.completion), certificate: r(a.certificate), minInactiveDays: a.minInactiveDays ?? null, maxLastWeekMinutes: a.maxLastWeekMinutes ?? null, clusters: a.clusters?.length ? [...a.clusters] : null };
}

/**
 * Creates the outbox rows of one round: learners matching the audience in the course's latest run, minus
 * excluded learners, learners who opted out and learners this campaign already has a row for. Idempotent:
 * inserting a row that exists fails on the unique indexes and is ignored, so a retried round adds nothing twice.
 */
export async function enqueueRound(campaignId: Types.ObjectId, round: number, now = new Date()): Promise<EnqueuedRound> {
  const campaign = await Campaign.findById(campaignId).lean<CampaignDoc>();
  if (!campaign) throw NotFoundError('Campaign not found');
  const course = await Course.findById(campaign.courseId).lean<CourseDoc>();
  if (!course?.lastScoredRunDate) throw new KeepupError('This course has no scores yet; campaigns start after the first nightly run.', 409, 'no_scores');
  const empty: EnqueuedRound = { round, runDate: course.lastScoredRunDate, matched: 0, alreadyMessaged: 0, excluded: 0, optedOut: 0, queued: [] };
  if (campaign.status !== 'active') return empty;
  const scores = await resolveAudience(campaign.courseId, course.lastScoredRunDate, campaignAudience(campaign), now);
  const activityOf = new Map(scores.map((s) => [String(s.learnerId), s.activity ?? {}]));
  const matched = scores.map((s) => s.learnerId);
  const excluded = new Set(campaign.excludedLearnerIds.map(String));
  const existing = new Set((await OutboxItem.find({ campaignId }).select({ learnerId: 1, round: 1 }).lean()).filter((r) => r.round !== round).map((r) => String(r.learnerId)));
  const candidates = matched.filter((id) => !excluded.has(String(id)) && !existing.has(String(id)));
  const result: EnqueuedRound = { ...empty, matched: matched.length, excluded: matched.filter((id) => excluded.has(String(id))).length, alreadyMessaged: matched.filter((id) => existing.has(String(id))).length };
  const quiet = campaign.quietHours ?? { start: 21, end: 8 };
  for (let i = 0; i < candidates.length; i += 2000) {
    const chunk = candidates.slice(i, i + 2000);
    const learners = await Learner.find({ _id: { $in: chunk } }).select({ timeZone: 1, optOut: 1, status: 1 }).lean();
    const rows = [];
    for (const learner of learners) {
      if (learner.optOut?.messages || learner.status === 'removed') {
        result.optedOut++;
        continue;
      }
      const notBefore = nextDeliveryTime(now, learner.timeZone || course.timeZone || 'UTC', quiet);
      const a = activityOf.get(String(learner._id)) ?? {};
      const merge = { lastActiveAt: a.lastActiveAt ?? null, activeDays: a.activeDays ?? null, lastWeekMinutes: a.lastWeekMinutes ?? null, lastWeekProblems: a.lastWeekProblems ?? null, lastWeekVideoMinutes: a.lastWeekVideoMinutes ?? null, totalMinutes: a.totalMinutes ?? null };
      rows.push({ campaignId, courseId: campaign.courseId, learnerId: learner._id, round, channel: campaign.channel, status: 'pending', notBefore, merge });
    }
    if (rows.length) await insertIgnoringDuplicates(rows);
  }
  result.queued = await OutboxItem.find({ campaignId, round, status: 'pending' }).select({ _id: 1, notBefore: 1 }).lean<Array<{ _id: Types.ObjectId; notBefore: Date }>>();
  await Campaign.updateOne({ _id: campaignId }, { $set: { lastRoundAt: now } });
  await audit({ courseId: campaign.courseId, actor: 'system', action: 'campaign.round', campaignId, detail: `round ${round} on run ${course.lastScoredRunDate}: ${result.queued.length} queued, ${result.matched} matched, ${result.alreadyMessaged} already messaged, ${result.excluded} excluded, ${result.optedOut} opted out` });
  return result;
}

async function insertIgnoringDuplicates(rows: object[]): Promise<void> {
  try {
    await OutboxItem.insertMany(rows, { ordered: false });
  } catch (error) {
    const e = error as { code?: number; writeErrors?: Array<{ code?: number; err?: { code?: number } }> };
    const codes = e.writeErrors?.map((w) => w.code ?? w.err?.code) ?? [e.code];
    if (!codes.length || codes.some((c) => c !== 11000)) throw error;
  }
}

/** Allocates the next round number of a campaign (atomic increment). */
export async function allocateRound(campaignId: Types.ObjectId): Promise<number> {
  const updated = await Campaign.findOneAndUpdate({ _id: campaignId }, { $inc: { rounds: 1 } }, { returnDocument: 'after' }).lean<CampaignDoc>();
  if (!updated) throw NotFoundError('Campaign not found');
  return updated.rounds;
}

/**
 * Allocates an automatic round for a nightly run, once per (campaign, run date): returns the round number,
 * or undefined when the campaign is not an active automatic one or this run was already handled.
 */
export async function allocateAutoRound(campaignId: Types.ObjectId, runDate: string): Promise<number | undefined> {
  const updated = await Campaign.findOneAndUpdate(
    { _id: campaignId, auto: true, status: 'active', lastAutoRunDate: { $ne: runDate } },
    { $set: { lastAutoRunDate: runDate }, $inc: { rounds: 1 } },
    { returnDocument: 'after' },
  ).lean<CampaignDoc>();
  return updated?.rounds;
}
