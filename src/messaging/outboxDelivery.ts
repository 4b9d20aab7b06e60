import crypto from 'node:crypto';
import { Types } from 'mongoose';
import { Campaign, CampaignDoc } from '../storage/models/Campaign';
import { Course, CourseDoc } from '../storage/models/Course';
import { Learner, LearnerDoc } from '../storage/models/Learner';
import { Message } from '../storage/models/Message';
import { OutboxItem, OutboxItemDoc } from '../storage/models/OutboxItem';
import type { ScoreDoc } from '../storage/models/Score';
import { audit } from './audit';
import { CANVAS_MAX_RECIPIENTS } from './channels/CanvasInboxClient';
import { DeliveryError } from './channels/DeliveryError';
import { deliveryRuntime, DeliveryRuntime } from './deliveryRuntime';
import { claimContactSlot, releaseContactSlot } from './frequencyCap';
import { nextDeliveryTime } from './quietHours';
import { MergeContext, MessageTemplate, RenderedMessage } from './templates';
import { unsubscribeTokens } from './unsubscribeTokens';
import { inactiveDays } from './audience';
import { bounceAddresses } from './bounces/bounceAddresses';
import { isSuppressed } from './bounces/recordBounce';

/** What happened to one delivery attempt. */
export type DeliveryOutcome =
  | { kind: 'sent'; rows: number }
  | { kind: 'done'; status: string }
  | { kind: 'deferred'; until: Date }
  | { kind: 'skipped'; reason: string }
  | { kind: 'failed'; reason: string }
  | { kind: 'paused' };

/** A claimed row is owned by someone else whose lease has not expired; retry later. */
export class OutboxLeasedError extends Error {
  constructor(id: string) {
    super(`Outbox row ${id} is being sent by another worker`);
    this.name = 'OutboxLeasedError';
  }
}

/** Rows deferred past this age are skipped instead of waiting for ever (frequency cap, long quiet periods). */
const MAX_WAIT_MS = 14 * 86_400_000;

/** The Message-ID of an outbox row: stable across retries so receivers keep one copy. */
export function messageIdFor(outboxId: Types.ObjectId | string, domain: string): string {
  return `${String(outboxId)}.keepup@${domain}`;
}

type Prepared =
  | { kind: 'ready'; item: OutboxItemDoc; learner: LearnerDoc; rendered: RenderedMessage }
  | { kind: 'skip'; reason: string }
  | { kind: 'defer'; until: Date };

interface Shared {
  rt: DeliveryRuntime;
  campaign: CampaignDoc;
  course: CourseDoc;
  template: MessageTemplate;
  leaseId: string;
}

/**
 * Delivers one outbox row (and, for the Canvas Inbox, up to 99 more pending rows of the same campaign in the
 * same calls). Claims the row atomically (`pending` → `sending` with a lease), re-checks campaign state,
 * opt-out, address, quiet hours and the frequency cap, renders, sends, then marks the row `sent` only if the
 * lease is still ours. Transient channel errors put the row back and throw (the job retries with backoff).
 */
export async function deliverOutboxItem(outboxId: Types.ObjectId | string, rt: DeliveryRuntime = deliveryRuntime()): Promise<DeliveryOutcome> {
  const id = new Types.ObjectId(String(outboxId));
  const item = await claim({ _id: id }, rt);
  if (!item) {
    const current = await OutboxItem.findById(id).lean<OutboxItemDoc>();
    if (!current) return { kind: 'done', status: 'missing' };
    if (current.status === 'pending') return { kind: 'deferred', until: current.notBefore };
    if (current.status === 'sending') throw new OutboxLeasedError(String(id));
    return { kind: 'done', status: current.status };
  }
  const campaign = await Campaign.findById(item.campaignId).lean<CampaignDoc>();
  const course = await Course.findById(item.courseId).lean<CourseDoc>();
  if (!campaign || !course || campaign.status === 'stopped') {
    await finish(item, 'skipped', 'stopped');
    return { kind: 'skipped', reason: 'stopped' };
  }
  if (campaign.status !== 'active') {
    await release(item, item.notBefore);
    return { kind: 'paused' };
  }
  const shared: Shared = { rt, campaign, course, template: templateOf(campaign), leaseId: item.leaseId! };
  const prepared = await prepare(item, shared);
  if (prepared.kind === 'skip') return { kind: 'skipped', reason: prepared.reason };
  if (prepared.kind === 'defer') return { kind: 'deferred', until: prepared.until };
  if (item.channel === 'canvas') return sendCanvasBatch(prepared, shared);
  return sendEmail(prepared, shared);
}

const templates = new Map<string, MessageTemplate>();

/** The compiled template of a campaign version (compiled once per process, not once per message). */
function templateOf(campaign: CampaignDoc): MessageTemplate {
  const key = `${campaign._id}:${campaign.updatedAt?.getTime() ?? 0}`;
  let template = templates.get(key);
  if (!template) {
    template = new MessageTemplate(campaign.subject, campaign.body, campaign.nameFallback);
    templates.set(key, template);
    if (templates.size > 200) templates.delete(templates.keys().next().value!);
  }
  return template;
}

/** Atomically takes a pending row that is due, or a `sending` row whose lease expired (a crashed sender). */
async function claim(filter: Record<string, unknown>, rt: DeliveryRuntime): Promise<OutboxItemDoc | null> {
  const now = rt.now();
  return OutboxItem.findOneAndUpdate(
    { ...filter, $or: [{ status: 'pending', notBefore: { $lte: now } }, { status: 'sending', leaseUntil: { $lt: now } }] },
    { $set: { status: 'sending', leaseUntil: new Date(now.getTime() + rt.leaseMs), leaseId: crypto.randomUUID() }, $inc: { attempts: 1 } },
    { returnDocument: 'after' },
  ).lean<OutboxItemDoc>();
}

async function release(item: OutboxItemDoc, notBefore: Date, deferred = false): Promise<void> {
  await OutboxItem.updateOne(
    { _id: item._id, leaseId: item.leaseId },
    { $set: { status: 'pending', notBefore, leaseUntil: null, leaseId: null }, ...(deferred ? { $inc: { deferrals: 1 } } : {}) },
  );
}

async function finish(item: OutboxItemDoc, status: 'sent' | 'skipped' | 'failed', reason: string | null, extra: Record<string, unknown> = {}): Promise<boolean> {
  const res = await OutboxItem.updateOne({ _id: item._id, leaseId: item.leaseId }, { $set: { status, reason, leaseUntil: null, ...extra } });
  return res.modifiedCount === 1;
}

async function prepare(item: OutboxItemDoc, s: Shared): Promise<Prepared> {
  const now = s.rt.now();
  const learner = await Learner.findById(item.learnerId).lean<LearnerDoc>();
  const skip = async (reason: string): Promise<Prepared> => {
    await finish(item, 'skipped', reason);
    await audit({ courseId: item.courseId, actor: 'system', action: 'message.skipped', campaignId: item.campaignId, learnerId: item.learnerId, detail: reason });
    return { kind: 'skip', reason };
  };
  if (!learner || learner.status === 'removed') return skip('not_enrolled');
  if (learner.optOut?.messages) return skip('opted_out');
  if (item.channel === 'email' && !learner.email) return skip('no_address');
  if (item.channel === 'email' && (await isSuppressed(learner.email!))) return skip('suppressed');
  if (item.channel === 'canvas' && !learner.ids?.canvasUserId) return skip('no_address');
  const defer = async (until: Date, reason: string): Promise<Prepared> => {
    if (until.getTime() - item.createdAt.getTime() > MAX_WAIT_MS) return skip(reason);
    await release(item, until, true);
    return { kind: 'defer', until };
  };
  const zone = learner.timeZone || s.course.timeZone || 'UTC';
  const quietUntil = nextDeliveryTime(now, zone, s.campaign.quietHours ?? { start: 21, end: 8 });
  if (quietUntil.getTime() > now.getTime()) return defer(quietUntil, 'quiet_hours');
  if (!item.slotAt) {
    const slot = await claimContactSlot(item.courseId, item.learnerId, now, s.rt.cap);
    if (!slot.ok) return defer(slot.freeAt, 'frequency_cap');
    await OutboxItem.updateOne({ _id: item._id, leaseId: item.leaseId }, { $set: { slotAt: now } });
    item.slotAt = now;
  }
  const rendered = s.template.render(mergeContext(learner, { activity: item.merge as ScoreDoc['activity'] }, s.course, now));
  const footer = item.channel === 'email' ? unsubscribeUrl(s.rt, learner._id) : null;
  return { kind: 'ready', item, learner, rendered: withFooter(rendered, footer, s.course.title) };
}

/** The merge values for one learner: names only when the platform shared them, activity from the latest score. */
export function mergeContext(learner: Pick<LearnerDoc, 'givenName' | 'name'>, score: Pick<ScoreDoc, 'activity'> | null, course: Pick<CourseDoc, 'title'>, now: Date): MergeContext {
  const a = score?.activity;
  return {
    firstname: learner.givenName || learner.name?.split(/\s+/)[0] || undefined,
    fullname: learner.name || undefined,
    courseTitle: course.title || undefined,
    lastWeekMinutes: a ? Math.round(a.lastWeekMinutes ?? 0) : undefined,
    lastWeekProblems: a ? Math.round(a.lastWeekProblems ?? 0) : undefined,
    lastWeekVideoMinutes: a ? Math.round(a.lastWeekVideoMinutes ?? 0) : undefined,
    activeDays: a?.activeDays ?? undefined,
    daysSinceActive: inactiveDays(a?.lastActiveAt, now),
    totalMinutes: a ? Math.round(a.totalMinutes ?? 0) : undefined,
  };
}

/** The learner's unsubscribe / preference page. */
export function unsubscribeUrl(rt: Pick<DeliveryRuntime, 'publicUrl'>, learnerId: Types.ObjectId): string {
  return `${rt.publicUrl}/unsubscribe/${unsubscribeTokens().sign(learnerId)}`;
}

/**
 * Adds why the learner gets this and how to stop it: the personal preference link for email; for the Canvas
 * Inbox (no link, so identical bodies can share one bulk call) the way to the same page from the course.
 */
function withFooter(message: RenderedMessage, url: string | null, courseTitle: string): RenderedMessage {
  const why = `You receive this because you are enrolled in ${courseTitle || 'this course'}.`;
  if (!url) {
    const how = 'To stop these messages, open Keepup in your course and choose "Message preferences".';
    return { subject: message.subject, text: `${message.text.trimEnd()}\n\n--\n${why} ${how}\n`, html: `${message.html}\n<hr><p>${why} ${how}</p>` };
  }
  const escapedWhy = why.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return {
    subject: message.subject,
    text: `${message.text.trimEnd()}\n\n--\n${why} Stop these messages: ${url}\n`,
    html: `${message.html}\n<hr><p style="font-size:12px;color:#555">${escapedWhy} <a href="${url}">Stop these messages</a></p>`,
  };
}

/**
 * Records an accepted message. Order matters for crashes: the Message (keyed by the outbox id, idempotent) and
 * the audit entry (same key) are written before the row is marked `sent`, so a crash in between only causes a
 * retry with the same Message-ID, never a sent row without its record.
 */
async function recordSent(p: Extract<Prepared, { kind: 'ready' }>, s: Shared, providerId: string): Promise<void> {
  const now = s.rt.now();
  await Message.updateOne(
    { _id: p.item._id },
    {
      $setOnInsert: { outboxId: p.item._id, campaignId: p.item.campaignId, courseId: p.item.courseId, learnerId: p.item.learnerId, channel: p.item.channel, subject: p.rendered.subject, text: p.rendered.text },
      $set: { providerId, status: 'accepted' },
      $push: { events: { type: 'accepted', at: now, detail: providerId } },
    },
    { upsert: true },
  );
  await audit({ id: p.item._id, courseId: p.item.courseId, actor: `instructor:${s.campaign.createdBy?.userSub ?? 'unknown'}`, action: 'message.sent', campaignId: p.item.campaignId, learnerId: p.item.learnerId, detail: `${p.item.channel} round ${p.item.round}` });
  await finish(p.item, 'sent', null, { sentAt: now, lastError: null });
}

async function recordFailure(p: Extract<Prepared, { kind: 'ready' }>, s: Shared, error: DeliveryError): Promise<DeliveryOutcome> {
  if (!error.permanent) {
    await OutboxItem.updateOne({ _id: p.item._id, leaseId: p.item.leaseId }, { $set: { status: 'pending', leaseUntil: null, leaseId: null, lastError: error.message } });
    throw error;
  }
  const now = s.rt.now();
  await finish(p.item, 'failed', error.kind, { lastError: error.message });
  if (p.item.slotAt) await releaseContactSlot(p.item.learnerId, p.item.slotAt);
  await Message.updateOne(
    { _id: p.item._id },
    {
      $setOnInsert: { outboxId: p.item._id, campaignId: p.item.campaignId, courseId: p.item.courseId, learnerId: p.item.learnerId, channel: p.item.channel, subject: p.rendered.subject, text: p.rendered.text },
      $set: { status: error.kind === 'bounced' ? 'bounced' : 'failed' },
      $push: { events: { type: error.kind, at: now, detail: error.message.slice(0, 500) } },
    },
    { upsert: true },
  );
  await audit({ courseId: p.item.courseId, actor: 'system', action: 'message.failed', campaignId: p.item.campaignId, learnerId: p.item.learnerId, detail: error.kind });
  return { kind: 'failed', reason: error.kind };
}

async function sendEmail(p: Extract<Prepared, { kind: 'ready' }>, s: Shared): Promise<DeliveryOutcome> {
  const smtp = s.rt.smtp;
  if (!smtp) return recordFailure(p, s, new DeliveryError('Email is not configured (SMTP_URL)', false, 'unavailable'));
  const sender = s.campaign.sender;
  const keepupName = `${sender?.name || s.course.title || 'Your instructor'} via Keepup`;
  const from = sender?.as === 'from' && sender.email ? { name: sender.name || keepupName, address: sender.email } : { name: keepupName, address: s.rt.mailFrom };
  try {
    const providerId = await smtp.send({
      to: { name: p.learner.name ?? undefined, address: p.learner.email! },
      from,
      replyTo: sender?.email ? { name: sender.name || undefined, address: sender.email } : undefined,
      subject: p.rendered.subject,
      text: p.rendered.text,
      html: p.rendered.html,
      messageId: messageIdFor(p.item._id, s.rt.messageIdDomain),
      unsubscribeUrl: unsubscribeUrl(s.rt, p.learner._id),
      returnPath: bounceAddresses().addressFor(p.item._id, s.rt.bounceDomain),
    });
    await recordSent(p, s, providerId);
    return { kind: 'sent', rows: 1 };
  } catch (error) {
    if (!(error instanceof DeliveryError)) throw error;
    return recordFailure(p, s, error);
  }
}

/**
 * Canvas Inbox: claims more due rows of the campaign (up to 100 in all), groups them by identical rendered
 * subject and body (a personalised body makes its own group) and sends each group in one async call.
 */
async function sendCanvasBatch(first: Extract<Prepared, { kind: 'ready' }>, s: Shared): Promise<DeliveryOutcome> {
  const ready = [first];
  for (let i = 1; i < CANVAS_MAX_RECIPIENTS; i++) {
    const more = await claim({ campaignId: s.campaign._id, channel: 'canvas', _id: { $ne: first.item._id } }, s.rt);
    if (!more) break;
    const prepared = await prepare(more, s);
    if (prepared.kind === 'ready') ready.push(prepared);
  }
  const canvas = await s.rt.canvasFor(s.campaign.courseId, s.campaign.createdBy?.userSub ?? undefined);
  if (!canvas) {
    for (const p of ready) await recordFailure(p, s, new DeliveryError('No Canvas token for this course: connect Canvas in the dashboard', true, 'rejected'));
    return { kind: 'failed', reason: 'no_canvas_token' };
  }
  const groups = new Map<string, typeof ready>();
  for (const p of ready) {
    const key = `${p.rendered.subject}\u0000${p.rendered.text}`;
    groups.set(key, [...(groups.get(key) ?? []), p]);
  }
  let sent = 0;
  let transient: DeliveryError | undefined;
  for (const group of groups.values()) {
    try {
      const batchId = await canvas.client.send({ recipients: group.map((p) => p.learner.ids!.canvasUserId!), subject: group[0].rendered.subject, body: group[0].rendered.text, contextCode: canvas.contextCode });
      for (const p of group) await recordSent(p, s, `canvas-batch:${batchId}`);
      sent += group.length;
    } catch (error) {
      if (!(error instanceof DeliveryError)) throw error;
      for (const p of group) {
        try {
          await recordFailure(p, s, error);
        } catch (e) {
          transient = e as DeliveryError;
        }
      }
    }
  }
  if (transient) throw transient;
  return sent ? { kind: 'sent', rows: sent } : { kind: 'failed', reason: 'rejected' };
}
