import type { CampaignDoc } from '../../storage/models/Campaign';

/** Delivery counts of a campaign's outbox by status. */
export type OutboxCounts = Partial<Record<'pending' | 'sending' | 'sent' | 'failed' | 'skipped', number>>;

/** A campaign as the dashboard shows it (no internal fields, no learner data). */
export function presentCampaign(campaign: CampaignDoc, counts: OutboxCounts = {}) {
  const a = campaign.audience ?? {};
  const range = (r: { min: number; max: number } | null | undefined) => (r ? { min: r.min, max: r.max } : null);
  return {
    id: String(campaign._id),
    name: campaign.name,
    status: campaign.status,
    channel: campaign.channel,
    subject: campaign.subject,
    body: campaign.body,
    nameFallback: campaign.nameFallback,
    audience: { dropout: range(a.dropout), completion: range(a.completion), certificate: range(a.certificate), minInactiveDays: a.minInactiveDays ?? null, maxLastWeekMinutes: a.maxLastWeekMinutes ?? null, clusters: a.clusters?.length ? [...a.clusters] : null },
    excludedLearnerIds: campaign.excludedLearnerIds.map(String),
    auto: campaign.auto,
    sender: { name: campaign.sender?.name ?? '', email: campaign.sender?.email ?? '', as: campaign.sender?.as ?? 'reply-to' },
    quietHours: { start: campaign.quietHours?.start ?? 21, end: campaign.quietHours?.end ?? 8 },
    rounds: campaign.rounds,
    lastRoundAt: campaign.lastRoundAt ? campaign.lastRoundAt.toISOString() : null,
    duplicatedFrom: campaign.duplicatedFrom ? String(campaign.duplicatedFrom) : null,
    createdAt: campaign.createdAt.toISOString(),
    counts: { pending: 0, sending: 0, sent: 0, failed: 0, skipped: 0, ...counts },
  };
}
