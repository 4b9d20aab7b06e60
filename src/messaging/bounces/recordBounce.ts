import type { Types } from 'mongoose';
import { EmailSuppression, type EmailSuppressionDoc } from '../../storage/models/EmailSuppression';
import { Learner } from '../../storage/models/Learner';
import { Message } from '../../storage/models/Message';
import { OutboxItem, type OutboxItemDoc } from '../../storage/models/OutboxItem';
import { audit } from '../audit';
import { releaseContactSlot } from '../frequencyCap';
import { bounceAddresses } from './bounceAddresses';
import { parseDeliveryStatusReport, type RecipientStatus } from './deliveryStatusReport';

/** Hard bounces (distinct deliveries) after which an address is suppressed. */
export const SUPPRESS_AFTER_HARD_BOUNCES = 2;

/** What a bounce did. */
export type BounceOutcome =
  | { kind: 'not_a_report' }
  | { kind: 'unmatched'; reason: string }
  | { kind: 'recorded'; outboxId: string; bounce: 'hard' | 'soft' | 'delayed'; status: string; duplicate: boolean; suppressed: boolean };

/** Whether campaigns must not email this address any more. */
export async function isSuppressed(address: string): Promise<boolean> {
  const doc = await EmailSuppression.findById(address.trim().toLowerCase()).select({ suppressedAt: 1 }).lean<EmailSuppressionDoc>();
  return Boolean(doc?.suppressedAt);
}

/** A permanent failure (5.x.x, RFC 3463) is a hard bounce; a failed 4.x.x (given up after retries) a soft one. */
function classify(r: RecipientStatus): 'hard' | 'soft' | 'delayed' | undefined {
  if (r.action === 'delayed') return 'delayed';
  if (r.action !== 'failed') return undefined;
  return r.status.startsWith('5.') ? 'hard' : 'soft';
}

/**
 * Takes in a bounce that arrived after SMTP accepted the message (a DSN to the VERP return path): finds the
 * outbox row from the return path (HMAC-checked; the envelope recipient the MTA passes, else the bounce's
 * Delivered-To / X-Original-To / To), records the status on the message (a failed delivery marks it and the
 * row bounced and frees the learner's frequency-cap slot; a delay is only noted) and counts hard bounces per
 * address, suppressing the address at `SUPPRESS_AFTER_HARD_BOUNCES`. Idempotent per delivery.
 */
export async function recordBounce(raw: string | Buffer, envelopeRecipient?: string, now = new Date()): Promise<BounceOutcome> {
  const report = parseDeliveryStatusReport(raw);
  if (!report) return { kind: 'not_a_report' };
  const candidates = [envelopeRecipient, ...report.addressedTo].filter((a): a is string => Boolean(a));
  let outboxId: Types.ObjectId | undefined;
  for (const address of candidates) if ((outboxId ??= bounceAddresses().verify(address))) break;
  if (!outboxId) return { kind: 'unmatched', reason: 'no valid Keepup return path' };
  const item = await OutboxItem.findById(outboxId).lean<OutboxItemDoc>();
  if (!item || item.channel !== 'email') return { kind: 'unmatched', reason: 'unknown delivery' };
  const learner = await Learner.findById(item.learnerId).select({ email: 1 }).lean<{ email?: string | null }>();
  const address = learner?.email?.toLowerCase();
  const recipient = report.recipients.find((r) => address && (r.finalRecipient === address || r.originalRecipient === address)) ?? report.recipients[0];
  const bounce = classify(recipient);
  if (!bounce) return { kind: 'unmatched', reason: `report action ${recipient.action}` };
  const detail = `${recipient.status} ${recipient.diagnosticCode ?? ''}`.trim().slice(0, 500);

  if (bounce === 'delayed') {
    await Message.updateOne({ _id: item._id }, { $push: { events: { type: 'delayed', at: now, detail } } });
    return { kind: 'recorded', outboxId: String(item._id), bounce, status: recipient.status, duplicate: false, suppressed: false };
  }
  const first = await Message.updateOne({ _id: item._id, status: { $ne: 'bounced' } }, { $set: { status: 'bounced' }, $push: { events: { type: 'bounced', at: now, detail } } });
  const duplicate = first.matchedCount === 0;
  let suppressed = false;
  if (!duplicate) {
    await OutboxItem.updateOne({ _id: item._id }, { $set: { status: 'failed', reason: 'bounced', lastError: `bounced after acceptance: ${detail}` } });
    if (item.slotAt) await releaseContactSlot(item.learnerId, item.slotAt);
    await audit({ courseId: item.courseId, actor: 'system', action: 'message.bounced', campaignId: item.campaignId, learnerId: item.learnerId, detail: `${bounce} ${recipient.status}` });
    if (address) suppressed = await countBounce(address, bounce, recipient, now);
  }
  return { kind: 'recorded', outboxId: String(item._id), bounce, status: recipient.status, duplicate, suppressed };
}

/** Counts a bounce for an address; returns true when this one suppressed it. */
async function countBounce(address: string, bounce: 'hard' | 'soft', r: RecipientStatus, now: Date): Promise<boolean> {
  const counted = await EmailSuppression.findOneAndUpdate(
    { _id: address },
    { $inc: bounce === 'hard' ? { hardBounces: 1 } : { softBounces: 1 }, $set: { lastStatus: r.status, lastDiagnostic: r.diagnosticCode?.slice(0, 300) ?? null, lastBounceAt: now } },
    { upsert: true, returnDocument: 'after' },
  ).lean<EmailSuppressionDoc>();
  if (bounce !== 'hard' || !counted || counted.hardBounces < SUPPRESS_AFTER_HARD_BOUNCES || counted.suppressedAt) return false;
  const res = await EmailSuppression.updateOne({ _id: address, suppressedAt: null }, { $set: { suppressedAt: now } });
  return res.modifiedCount === 1;
}
