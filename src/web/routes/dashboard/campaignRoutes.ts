import express, { Request, Router } from 'express';
import { Types } from 'mongoose';
import { SendCampaignRoundTask } from '../../../../jobs/tasks/SendCampaignRoundTask';
import { DeliverOutboxItemTask } from '../../../../jobs/tasks/DeliverOutboxItemTask';
import { allocateRound } from '../../../messaging/campaignRounds';
import { audit } from '../../../messaging/audit';
import { mergeContext } from '../../../messaging/outboxDelivery';
import { MessageTemplate } from '../../../messaging/templates';
import { AuditEntry } from '../../../storage/models/AuditEntry';
import { Campaign, CampaignDoc } from '../../../storage/models/Campaign';
import { Learner, LearnerDoc } from '../../../storage/models/Learner';
import { OutboxItem } from '../../../storage/models/OutboxItem';
import { Score, ScoreDoc } from '../../../storage/models/Score';
import { ConflictError, KeepupError, NotFoundError } from '../../../errors';
import { OutboxCounts, presentCampaign } from '../../presenters/presentCampaign';
import { actorOf, courseIdOf, loadCourse } from './courseAccess';
import { campaignInputSchema, campaignPatchSchema, excludeSchema, objectId, parse, previewSchema } from './schema';

async function loadCampaign(req: Request, courseId: Types.ObjectId): Promise<CampaignDoc> {
  const id = parse(objectId, req.params.campaignId);
  const campaign = await Campaign.findOne({ _id: id, courseId }).lean<CampaignDoc>();
  if (!campaign) throw NotFoundError('No such campaign in this course.');
  return campaign;
}

async function countsOf(campaignIds: Types.ObjectId[]): Promise<Map<string, OutboxCounts>> {
  const rows = await OutboxItem.aggregate<{ _id: { c: Types.ObjectId; s: string }; n: number }>([
    { $match: { campaignId: { $in: campaignIds } } },
    { $group: { _id: { c: '$campaignId', s: '$status' }, n: { $sum: 1 } } },
  ]);
  const out = new Map<string, OutboxCounts>();
  for (const r of rows) {
    const counts = out.get(String(r._id.c)) ?? {};
    counts[r._id.s as keyof OutboxCounts] = r.n;
    out.set(String(r._id.c), counts);
  }
  return out;
}

async function present(campaign: CampaignDoc) {
  return presentCampaign(campaign, (await countsOf([campaign._id])).get(String(campaign._id)));
}

/** Starts a round now (send, resend to new matches): the campaign becomes active and the round job is queued. */
async function startRound(req: Request, campaign: CampaignDoc, action: string) {
  if (campaign.status === 'stopped') throw ConflictError('This campaign was stopped; duplicate it to send again.');
  const course = await loadCourse(campaign.courseId);
  if (!course.lastScoredRunDate) throw new KeepupError('This course has no scores yet; campaigns can be sent after the first nightly run.', 409, 'no_scores');
  await Campaign.updateOne({ _id: campaign._id }, { $set: { status: 'active' } });
  const round = await allocateRound(campaign._id);
  await new SendCampaignRoundTask().schedule({ campaignId: String(campaign._id), round }, { jobId: `round-${campaign._id}-${round}` });
  await audit({ courseId: campaign.courseId, actor: actorOf(req), action, campaignId: campaign._id, detail: `round ${round}` });
  return round;
}

/** Campaign CRUD, preview, exclusions and the send/auto/pause/resume/stop/duplicate/resend actions. */
export function dashboardCampaignRoutes(auth: express.RequestHandler): Router {
  const router = Router();
  const base = '/api/dashboard/courses/:courseId';
  const json = express.json({ limit: '256kb' });

  router.get(`${base}/campaigns`, auth, async (req, res) => {
    const courseId = courseIdOf(req);
    const campaigns = await Campaign.find({ courseId }).sort({ createdAt: -1 }).limit(200).lean<CampaignDoc[]>();
    const counts = await countsOf(campaigns.map((c) => c._id));
    res.json({ campaigns: campaigns.map((c) => presentCampaign(c, counts.get(String(c._id)))) });
  });

  router.post(`${base}/campaigns`, auth, json, async (req, res) => {
    const courseId = courseIdOf(req);
    const input = parse(campaignInputSchema, req.body);
    const campaign = await Campaign.create({ ...input, courseId, status: 'draft', createdBy: { userSub: req.session!.userSub, platformId: req.session!.platformId } });
    await audit({ courseId, actor: actorOf(req), action: 'campaign.created', campaignId: campaign._id, detail: input.name });
    res.status(201).json(await present(campaign.toObject() as CampaignDoc));
  });

  router.get(`${base}/campaigns/:campaignId`, auth, async (req, res) => {
    const campaign = await loadCampaign(req, courseIdOf(req));
    res.json(await present(campaign));
  });

  router.patch(`${base}/campaigns/:campaignId`, auth, json, async (req, res) => {
    const courseId = courseIdOf(req);
    const campaign = await loadCampaign(req, courseId);
    if (campaign.status === 'stopped') throw ConflictError('A stopped campaign cannot be edited; duplicate it instead.');
    const input = parse(campaignPatchSchema, req.body);
    const updated = await Campaign.findOneAndUpdate({ _id: campaign._id, courseId }, { $set: input }, { returnDocument: 'after' }).lean<CampaignDoc>();
    await audit({ courseId, actor: actorOf(req), action: 'campaign.edited', campaignId: campaign._id, detail: Object.keys(input).join(',') });
    res.json(await present(updated!));
  });

  router.post(`${base}/preview`, auth, json, async (req, res) => {
    const courseId = courseIdOf(req);
    const input = parse(previewSchema, req.body);
    res.json(await renderPreview(req, courseId, input.learnerId, input.subject ?? '', input.body ?? '', input.nameFallback ?? 'there', req.body?.names === true));
  });

  router.post(`${base}/campaigns/:campaignId/preview`, auth, json, async (req, res) => {
    const courseId = courseIdOf(req);
    const campaign = await loadCampaign(req, courseId);
    const input = parse(previewSchema, req.body);
    res.json(await renderPreview(req, courseId, input.learnerId, campaign.subject, campaign.body, campaign.nameFallback, req.body?.names === true));
  });

  router.post(`${base}/campaigns/:campaignId/exclude`, auth, json, async (req, res) => {
    const courseId = courseIdOf(req);
    const campaign = await loadCampaign(req, courseId);
    const input = parse(excludeSchema, req.body);
    const ids = input.learnerIds.map((id) => new Types.ObjectId(id));
    const update = input.excluded ? { $addToSet: { excludedLearnerIds: { $each: ids } } } : { $pull: { excludedLearnerIds: { $in: ids } } };
    const updated = await Campaign.findOneAndUpdate({ _id: campaign._id, courseId }, update, { returnDocument: 'after' }).lean<CampaignDoc>();
    await audit({ courseId, actor: actorOf(req), action: input.excluded ? 'campaign.excluded' : 'campaign.included', campaignId: campaign._id, detail: `${ids.length} learners` });
    res.json(await present(updated!));
  });

  router.post(`${base}/campaigns/:campaignId/send`, auth, async (req, res) => {
    const campaign = await loadCampaign(req, courseIdOf(req));
    const round = await startRound(req, campaign, 'campaign.sent');
    res.status(202).json({ round, campaign: await present((await Campaign.findById(campaign._id).lean<CampaignDoc>())!) });
  });

  router.post(`${base}/campaigns/:campaignId/resend`, auth, async (req, res) => {
    const campaign = await loadCampaign(req, courseIdOf(req));
    if (!campaign.rounds) throw ConflictError('This campaign was never sent; send it first.');
    const round = await startRound(req, campaign, 'campaign.resent');
    res.status(202).json({ round, campaign: await present((await Campaign.findById(campaign._id).lean<CampaignDoc>())!) });
  });

  router.post(`${base}/campaigns/:campaignId/auto`, auth, json, async (req, res) => {
    const courseId = courseIdOf(req);
    const campaign = await loadCampaign(req, courseId);
    if (campaign.status === 'stopped') throw ConflictError('A stopped campaign cannot be automated; duplicate it instead.');
    const enabled = parse(excludeSchema.shape.excluded, req.body?.enabled);
    const updated = await Campaign.findOneAndUpdate({ _id: campaign._id, courseId }, { $set: { auto: enabled } }, { returnDocument: 'after' }).lean<CampaignDoc>();
    await audit({ courseId, actor: actorOf(req), action: enabled ? 'campaign.auto_on' : 'campaign.auto_off', campaignId: campaign._id });
    res.json(await present(updated!));
  });

  router.post(`${base}/campaigns/:campaignId/pause`, auth, async (req, res) => {
    const courseId = courseIdOf(req);
    const campaign = await loadCampaign(req, courseId);
    if (campaign.status !== 'active') throw ConflictError(`Only an active campaign can be paused; this one is ${campaign.status}.`);
    const updated = await Campaign.findOneAndUpdate({ _id: campaign._id, courseId }, { $set: { status: 'paused' } }, { returnDocument: 'after' }).lean<CampaignDoc>();
    await audit({ courseId, actor: actorOf(req), action: 'campaign.paused', campaignId: campaign._id });
    res.json(await present(updated!));
  });

  router.post(`${base}/campaigns/:campaignId/resume`, auth, async (req, res) => {
    const courseId = courseIdOf(req);
    const campaign = await loadCampaign(req, courseId);
    if (campaign.status !== 'paused') throw ConflictError(`Only a paused campaign can be resumed; this one is ${campaign.status}.`);
    const updated = await Campaign.findOneAndUpdate({ _id: campaign._id, courseId }, { $set: { status: 'active' } }, { returnDocument: 'after' }).lean<CampaignDoc>();
    const pending = await OutboxItem.find({ campaignId: campaign._id, status: 'pending' }).select({ _id: 1, notBefore: 1 }).lean<Array<{ _id: Types.ObjectId; notBefore: Date }>>();
    await new DeliverOutboxItemTask().scheduleMany(pending, Date.now(), `-resume${Date.now()}`);
    await audit({ courseId, actor: actorOf(req), action: 'campaign.resumed', campaignId: campaign._id, detail: `${pending.length} pending` });
    res.json(await present(updated!));
  });

  router.post(`${base}/campaigns/:campaignId/stop`, auth, async (req, res) => {
    const courseId = courseIdOf(req);
    const campaign = await loadCampaign(req, courseId);
    const updated = await Campaign.findOneAndUpdate({ _id: campaign._id, courseId }, { $set: { status: 'stopped', auto: false } }, { returnDocument: 'after' }).lean<CampaignDoc>();
    const skipped = await OutboxItem.updateMany({ campaignId: campaign._id, status: 'pending' }, { $set: { status: 'skipped', reason: 'stopped' } });
    await audit({ courseId, actor: actorOf(req), action: 'campaign.stopped', campaignId: campaign._id, detail: `${skipped.modifiedCount} pending skipped` });
    res.json(await present(updated!));
  });

  router.post(`${base}/campaigns/:campaignId/duplicate`, auth, async (req, res) => {
    const courseId = courseIdOf(req);
    const c = await loadCampaign(req, courseId);
    const copy = await Campaign.create({
      courseId,
      name: `${c.name} (copy)`.slice(0, 200),
      channel: c.channel,
      subject: c.subject,
      body: c.body,
      nameFallback: c.nameFallback,
      audience: c.audience,
      excludedLearnerIds: c.excludedLearnerIds,
      auto: false,
      sender: c.sender,
      quietHours: c.quietHours,
      duplicatedFrom: c._id,
      createdBy: { userSub: req.session!.userSub, platformId: req.session!.platformId },
    });
    await audit({ courseId, actor: actorOf(req), action: 'campaign.duplicated', campaignId: copy._id, detail: `from ${c._id}` });
    res.status(201).json(await present(copy.toObject() as CampaignDoc));
  });

  router.get(`${base}/campaigns/:campaignId/history`, auth, async (req, res) => {
    const courseId = courseIdOf(req);
    const campaign = await loadCampaign(req, courseId);
    const [entries, rounds] = await Promise.all([
      AuditEntry.find({ campaignId: campaign._id, action: { $nin: ['message.sent'] } }).sort({ at: -1 }).limit(200).lean(),
      OutboxItem.aggregate<{ _id: { r: number; s: string }; n: number }>([{ $match: { campaignId: campaign._id } }, { $group: { _id: { r: '$round', s: '$status' }, n: { $sum: 1 } } }]),
    ]);
    const byRound = new Map<number, Record<string, number>>();
    for (const row of rounds) byRound.set(row._id.r, { ...(byRound.get(row._id.r) ?? {}), [row._id.s]: row.n });
    res.json({
      campaign: await present(campaign),
      rounds: [...byRound.entries()].sort((a, b) => a[0] - b[0]).map(([round, counts]) => ({ round, counts })),
      events: entries.map((e) => ({ at: e.at.toISOString(), actor: e.actor.startsWith('instructor:') ? 'instructor' : e.actor.split(':')[0], action: e.action, detail: e.detail })),
    });
  });

  return router;
}

async function renderPreview(req: Request, courseId: Types.ObjectId, learnerId: string, subject: string, body: string, nameFallback: string, names: boolean) {
  const template = new MessageTemplate(subject, body, nameFallback);
  const learner = await Learner.findOne({ _id: new Types.ObjectId(learnerId), courseId }).lean<LearnerDoc>();
  if (!learner) throw NotFoundError('No such learner in this course.');
  const course = await loadCourse(courseId);
  const score = await Score.findOne({ courseId, learnerId: learner._id }).sort({ runDate: -1 }).lean<ScoreDoc>();
  const showNames = names && req.session!.sharesName;
  const context = mergeContext(showNames ? learner : { givenName: undefined, name: undefined }, score, course, new Date());
  const rendered = template.render(showNames ? context : { ...context, firstname: learner.givenName || learner.name ? '‹first name›' : undefined, fullname: learner.name ? '‹full name›' : undefined });
  return { learner: showNames && learner.name ? learner.name : learner.pseudonym, optedOut: Boolean(learner.optOut?.messages), ...rendered };
}
