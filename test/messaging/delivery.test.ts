import { Types } from 'mongoose';
import request from 'supertest';
import { enqueueRound, allocateRound } from '../../src/messaging/campaignRounds';
import { SmtpChannel } from '../../src/messaging/channels/SmtpChannel';
import { startSmtpSink, RunningSmtpSink } from '../../src/messaging/demo/smtpSink';
import { configureDelivery, deliveryRuntime } from '../../src/messaging/deliveryRuntime';
import { deliverOutboxItem, messageIdFor } from '../../src/messaging/outboxDelivery';
import { unsubscribeTokens } from '../../src/messaging/unsubscribeTokens';
import { AuditEntry } from '../../src/storage/models/AuditEntry';
import { Campaign, CampaignDoc } from '../../src/storage/models/Campaign';
import { ContactLedger } from '../../src/storage/models/ContactLedger';
import { Learner } from '../../src/storage/models/Learner';
import { Message } from '../../src/storage/models/Message';
import { OutboxItem, OutboxItemDoc } from '../../src/storage/models/OutboxItem';
import { loadConfig } from '../../src/config';
import { createApp } from '../../src/web/app';
import { useTestDb } from '../support';
import { buildCourse, daytimeZone, seedRun, SeedLearner } from './factories';

const NOW = new Date();

async function campaignFor(courseId: Types.ObjectId, overrides: Partial<CampaignDoc> = {}): Promise<CampaignDoc> {
  return (
    await Campaign.create({
      courseId,
      name: 'Nudge',
      status: 'active',
      subject: 'Keep going, [:firstname:]!',
      body: 'Hi [:firstname:], you solved {{lastWeekProblems}} problems last week.',
      audience: { completion: { min: 0.6, max: 1 }, certificate: { min: 0, max: 0.4 } },
      sender: { name: 'Prof. Chen', email: 'chen@uni.example', as: 'reply-to' },
      createdBy: { userSub: 'instructor-1' },
      ...overrides,
    })
  ).toObject() as CampaignDoc;
}

async function sendRound(campaignId: Types.ObjectId) {
  const round = await allocateRound(campaignId);
  const result = await enqueueRound(campaignId, round);
  const outcomes = [];
  for (const row of result.queued) outcomes.push(await deliverOutboxItem(row._id));
  return { result, outcomes };
}

describe('outbox delivery over real SMTP', () => {
  useTestDb();
  let sink: RunningSmtpSink;

  beforeAll(async () => {
    sink = await startSmtpSink({ reject: (address) => address.startsWith('bounce') });
    configureDelivery({ smtp: new SmtpChannel({ url: sink.url }), publicUrl: 'http://keepup.test', mailFrom: 'keepup@keepup.test', messageIdDomain: 'keepup.test', leaseMs: 5000 });
  });
  afterAll(async () => {
    configureDelivery(undefined);
    await sink.close();
  });
  beforeEach(() => sink.messages.splice(0));

  const learners: SeedLearner[] = [
    { givenName: 'Ada', familyName: 'Lovelace', email: 'ada@example.edu', dropout: 0.1, completion: 0.8, certificate: 0.2, lastWeekProblems: 7 },
    { givenName: 'Lin', familyName: 'Chen', email: 'lin@example.edu', dropout: 0.2, completion: 0.9, certificate: 0.35, lastWeekProblems: 3 },
    { email: 'anon@example.edu', dropout: 0.2, completion: 0.7, certificate: 0.1 },
    { givenName: 'Sam', email: 'sam@example.edu', dropout: 0.3, completion: 0.9, certificate: 0.9 },
    { givenName: 'Noor', email: 'noor@example.edu', dropout: 0.3, completion: 0.65, certificate: 0.3, optedOut: true },
    { givenName: 'Ravi', dropout: 0.3, completion: 0.65, certificate: 0.3 },
    { givenName: 'Mia', email: 'bounce-mia@example.edu', dropout: 0.3, completion: 0.61, certificate: 0.05 },
  ];

  it('sends one personalised message to each matching learner, skipping opted-out and address-less ones, with unsubscribe headers', async () => {
    const course = await buildCourse();
    const ids = await seedRun(course._id, '2024-05-01', learners);
    const campaign = await campaignFor(course._id);
    const { result, outcomes } = await sendRound(campaign._id);
    expect(result).toMatchObject({ round: 1, matched: 6, optedOut: 1, alreadyMessaged: 0, excluded: 0 });
    expect(outcomes.map((o) => o.kind).sort()).toEqual(['failed', 'sent', 'sent', 'sent', 'skipped']);
    const byTo = Object.fromEntries(sink.messages.map((m) => [m.envelopeTo[0], m]));
    expect(Object.keys(byTo).sort()).toEqual(['ada@example.edu', 'anon@example.edu', 'lin@example.edu']);
    expect(byTo['ada@example.edu'].subject).toBe('Keep going, Ada!');
    expect(byTo['ada@example.edu'].text).toContain('Hi Ada, you solved 7 problems last week.');
    expect(byTo['anon@example.edu'].subject).toBe('Keep going, there!');
    expect(byTo['lin@example.edu'].replyTo).toBe('"Prof. Chen" <chen@uni.example>');
    expect(byTo['lin@example.edu'].from).toBe('"Prof. Chen via Keepup" <keepup@keepup.test>');
    const adaRow = await OutboxItem.findOne({ campaignId: campaign._id, learnerId: ids[0] }).lean<OutboxItemDoc>();
    expect(byTo['ada@example.edu'].messageId).toBe(`<${messageIdFor(adaRow!._id, 'keepup.test')}>`);
    const token = unsubscribeTokens().sign(ids[0]);
    expect(byTo['ada@example.edu'].listUnsubscribe).toBe(`<http://keepup.test/unsubscribe/${token}> (Stop these messages)`);
    expect(byTo['ada@example.edu'].listUnsubscribePost).toBe('List-Unsubscribe=One-Click');
    expect(byTo['ada@example.edu'].text).toContain(`Stop these messages: http://keepup.test/unsubscribe/${token}`);
    const rows = await OutboxItem.find({ campaignId: campaign._id }).lean<OutboxItemDoc[]>();
    const status = Object.fromEntries(rows.map((r) => [String(r.learnerId), `${r.status}:${r.reason ?? ''}`]));
    expect(status[String(ids[5])]).toBe('skipped:no_address');
    expect(status[String(ids[6])]).toBe('failed:bounced');
    expect(await Message.findOne({ learnerId: ids[6] }).lean()).toMatchObject({ status: 'bounced' });
    expect(await ContactLedger.countDocuments({ learnerId: ids[6], 'recent.0': { $exists: true } })).toBe(0);
    expect(await AuditEntry.countDocuments({ campaignId: campaign._id, action: 'message.sent' })).toBe(3);
  });

  it('never sends a row twice: repeated and concurrent deliveries, and a second round, add nothing for learners already messaged', async () => {
    const course = await buildCourse();
    await seedRun(course._id, '2024-05-01', learners.slice(0, 2));
    const campaign = await campaignFor(course._id);
    const { result } = await sendRound(campaign._id);
    const again = await Promise.all(result.queued.map((r) => deliverOutboxItem(r._id)));
    expect(again.map((o) => o.kind)).toEqual(['done', 'done']);
    const second = await sendRound(campaign._id);
    expect(second.result).toMatchObject({ round: 2, matched: 2, alreadyMessaged: 2, queued: [] });
    expect(sink.messages.length).toBe(2);
    expect(sink.deliveries()).toBeGreaterThanOrEqual(2);
  });

  it('retries a row whose sender crashed (expired lease) with the same Message-ID', async () => {
    const course = await buildCourse();
    await seedRun(course._id, '2024-05-01', learners.slice(0, 1));
    const campaign = await campaignFor(course._id);
    const round = await allocateRound(campaign._id);
    const { queued } = await enqueueRound(campaign._id, round);
    await OutboxItem.updateOne({ _id: queued[0]._id }, { $set: { status: 'sending', leaseId: 'dead-worker', leaseUntil: new Date(Date.now() + 60_000) } });
    await expect(deliverOutboxItem(queued[0]._id)).rejects.toThrow(`Outbox row ${queued[0]._id} is being sent by another worker`);
    await OutboxItem.updateOne({ _id: queued[0]._id }, { $set: { leaseUntil: new Date(Date.now() - 1) } });
    expect(await deliverOutboxItem(queued[0]._id)).toEqual({ kind: 'sent', rows: 1 });
    expect(sink.messages.map((m) => m.messageId)).toEqual([`<${messageIdFor(queued[0]._id, 'keepup.test')}>`]);
    expect(await OutboxItem.findById(queued[0]._id).lean()).toMatchObject({ status: 'sent', attempts: 1, leaseUntil: null });
  });

  it('caps each learner at two messages a week across campaigns and defers the third until a slot frees', async () => {
    const course = await buildCourse();
    const [ada] = await seedRun(course._id, '2024-05-01', learners.slice(0, 1));
    for (let i = 0; i < 2; i++) await sendRound((await campaignFor(course._id, { name: `c${i}` }))._id);
    const third = await campaignFor(course._id, { name: 'c3' });
    const { outcomes } = await sendRound(third._id);
    expect(outcomes).toHaveLength(1);
    expect(outcomes[0].kind).toBe('deferred');
    const ledger = await ContactLedger.findOne({ learnerId: ada }).lean();
    const freeAt = ledger!.recent[0].getTime() + 7 * 86_400_000;
    expect((outcomes[0] as { until: Date }).until.getTime()).toBe(freeAt);
    expect(await OutboxItem.findOne({ campaignId: third._id }).lean()).toMatchObject({ status: 'pending', deferrals: 1 });
    expect(sink.messages.length).toBe(2);
  });

  it('defers delivery during the learner’s local quiet hours and skips learners who opted out after the round started', async () => {
    const course = await buildCourse();
    const nightZone = (() => {
      for (let offset = -12; offset <= 14; offset++) {
        const hour = (NOW.getUTCHours() + offset + 24) % 24;
        if (hour >= 22 || hour < 6) return offset === 0 ? 'Etc/UTC' : `Etc/GMT${offset > 0 ? '-' : '+'}${Math.abs(offset)}`;
      }
      throw new Error('no night zone');
    })();
    const [night, day] = await seedRun(course._id, '2024-05-01', [
      { ...learners[0], timeZone: nightZone },
      { ...learners[1], timeZone: daytimeZone() },
    ]);
    const campaign = await campaignFor(course._id);
    const round = await allocateRound(campaign._id);
    const { queued } = await enqueueRound(campaign._id, round);
    const nightRow = await OutboxItem.findOne({ campaignId: campaign._id, learnerId: night }).lean<OutboxItemDoc>();
    expect(nightRow!.notBefore.getTime()).toBeGreaterThan(Date.now());
    await OutboxItem.updateOne({ _id: nightRow!._id }, { $set: { notBefore: new Date(0) } });
    expect((await deliverOutboxItem(nightRow!._id)).kind).toBe('deferred');
    await Learner.updateOne({ _id: day }, { $set: { 'optOut.messages': true } });
    const dayRow = queued.find((q) => String(q._id) !== String(nightRow!._id))!;
    expect(await deliverOutboxItem(dayRow._id)).toEqual({ kind: 'skipped', reason: 'opted_out' });
    expect(sink.messages.length).toBe(0);
  });

  it('turns a round of a stopped campaign into nothing and marks its queued rows skipped', async () => {
    const course = await buildCourse();
    await seedRun(course._id, '2024-05-01', learners.slice(0, 2));
    const campaign = await campaignFor(course._id);
    const round = await allocateRound(campaign._id);
    const { queued } = await enqueueRound(campaign._id, round);
    await Campaign.updateOne({ _id: campaign._id }, { $set: { status: 'stopped' } });
    expect(await deliverOutboxItem(queued[0]._id)).toEqual({ kind: 'skipped', reason: 'stopped' });
    expect((await enqueueRound(campaign._id, round + 1)).queued).toEqual([]);
  });
});

describe('unsubscribe preference page and RFC 8058 one-click', () => {
  useTestDb();
  const app = createApp({ config: loadConfig({ ...process.env, NODE_ENV: 'test' }), checks: { mongo: async () => true, redis: async () => true } });

  it('shows the choice on GET without changing it, opts out on a one-click POST and back in from the page', async () => {
    const course = await buildCourse({ title: 'Chemistry' });
    const [id] = await seedRun(course._id, '2024-05-01', [{ givenName: 'Ada', email: 'ada@example.edu', dropout: 0.1, completion: 0.8, certificate: 0.2 }]);
    const token = unsubscribeTokens().sign(id);
    const page = await request(app).get(`/unsubscribe/${token}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Messages from Chemistry');
    expect(page.text).toContain('data-state="receiving"');
    expect((await Learner.findById(id).lean())!.optOut!.messages).toBe(false);
    const oneClick = await request(app).post(`/unsubscribe/${token}`).type('form').send('List-Unsubscribe=One-Click');
    expect([oneClick.status, oneClick.text]).toEqual([200, 'Unsubscribed.']);
    expect((await Learner.findById(id).lean())!.optOut!.messages).toBe(true);
    const resumed = await request(app).post(`/unsubscribe/${token}`).type('form').send('action=resume');
    expect(resumed.text).toContain('Your choice is saved.');
    expect((await Learner.findById(id).lean())!.optOut!.messages).toBe(false);
    expect(await AuditEntry.find({ learnerId: id }).sort({ at: 1 }).select({ action: 1, detail: 1, _id: 0 }).lean()).toEqual([
      { action: 'learner.unsubscribed', detail: 'one-click' },
      { action: 'learner.resubscribed', detail: 'preference page' },
    ]);
  });

  it('answers 404 for a forged token and 400 for an unknown action', async () => {
    const res = await request(app).get('/unsubscribe/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
    expect(res.status).toBe(404);
    expect(res.text).toContain('This link is not valid');
    const course = await buildCourse();
    const [id] = await seedRun(course._id, '2024-05-01', [{ email: 'x@example.edu', dropout: 0.1, completion: 0.8, certificate: 0.2 }]);
    expect((await request(app).post(`/unsubscribe/${unsubscribeTokens().sign(id)}`).type('form').send('action=maybe')).status).toBe(400);
  });
});
