import { Types } from 'mongoose';
import { SMTPServer } from 'smtp-server';
import request from 'supertest';
import { loadConfig } from '../../src/config';
import { allocateRound, enqueueRound } from '../../src/messaging/campaignRounds';
import { bounceAddresses } from '../../src/messaging/bounces/bounceAddresses';
import { parseDeliveryStatusReport } from '../../src/messaging/bounces/deliveryStatusReport';
import { SmtpChannel } from '../../src/messaging/channels/SmtpChannel';
import { configureDelivery } from '../../src/messaging/deliveryRuntime';
import { deliverOutboxItem } from '../../src/messaging/outboxDelivery';
import { AuditEntry } from '../../src/storage/models/AuditEntry';
import { Campaign } from '../../src/storage/models/Campaign';
import { EmailSuppression } from '../../src/storage/models/EmailSuppression';
import { Message } from '../../src/storage/models/Message';
import { OutboxItem } from '../../src/storage/models/OutboxItem';
import { createApp } from '../../src/web/app';
import { useTestDb } from '../support';
import { buildCourse, seedRun } from './factories';

const BOUNCE_SECRET = 'bounce-secret-0123456789abcdef0123456789';

/** What a real SMTP server saw: the envelope sender (the Return-Path to be) and the raw message. */
interface Received {
  mailFrom: string;
  rcptTo: string[];
  raw: string;
}

/**
 * The bounce Postfix's bounce(8) daemon sends to the envelope sender when a relay accepted a message and the
 * next hop later refused it (RFC 3464 report with the returned message attached), as delivered to the
 * return-path mailbox (Postfix local delivery adds Delivered-To).
 */
function postfixBounce(original: Received, recipient: string, status: string, action: 'failed' | 'delayed', diagnostic: string, deliveredTo = true): string {
  const queueId = '4Bv9Xq2kD7z3';
  return [
    `Return-Path: <>`,
    ...(deliveredTo ? [`Delivered-To: ${original.mailFrom}`] : []),
    `Received: by mx1.keepup.test (Postfix) id 7C1A2400A2; Mon, 23 Nov 2026 09:14:02 +0000 (UTC)`,
    `Date: Mon, 23 Nov 2026 09:14:02 +0000 (UTC)`,
    `From: MAILER-DAEMON@relay.uni.example (Mail Delivery System)`,
    `Subject: ${action === 'failed' ? 'Undelivered Mail Returned to Sender' : 'Delayed Mail (still being retried)'}`,
    `To: ${original.mailFrom}`,
    `Auto-Submitted: auto-replied`,
    `MIME-Version: 1.0`,
    `Content-Type: multipart/report; report-type=delivery-status;`,
    `\tboundary="${queueId}.1763889242/relay.uni.example"`,
    `Content-Transfer-Encoding: 8bit`,
    `Message-Id: <20261123091402.7C1A2400A2@relay.uni.example>`,
    ``,
    `This is a MIME-encapsulated message.`,
    ``,
    `--${queueId}.1763889242/relay.uni.example`,
    `Content-Description: Notification`,
    `Content-Type: text/plain; charset=us-ascii`,
    ``,
    `This is the mail system at host relay.uni.example.`,
    ``,
    `I'm sorry to have to inform you that your message could not`,
    `be delivered to one or more recipients. It's attached below.`,
    ``,
    `<${recipient}>: host mx.example.edu[192.0.2.25] said: ${diagnostic}`,
    ``,
    `--${queueId}.1763889242/relay.uni.example`,
    `Content-Description: Delivery report`,
    `Content-Type: message/delivery-status`,
    ``,
    `Reporting-MTA: dns; relay.uni.example`,
    `X-Postfix-Queue-ID: ${queueId}`,
    `X-Postfix-Sender: rfc822; ${original.mailFrom}`,
    `Arrival-Date: Mon, 23 Nov 2026 09:13:58 +0000 (UTC)`,
    ``,
    `Final-Recipient: rfc822; ${recipient}`,
    `Original-Recipient: rfc822;${recipient}`,
    `Action: ${action}`,
    `Status: ${status}`,
    `Remote-MTA: dns; mx.example.edu`,
    // Postfix folds long fields at a space.
    `Diagnostic-Code: smtp; ${diagnostic.slice(0, diagnostic.indexOf(' ', 30))}`,
    `    ${diagnostic.slice(diagnostic.indexOf(' ', 30) + 1)}`,
    ``,
    `--${queueId}.1763889242/relay.uni.example`,
    `Content-Description: Undelivered Message`,
    `Content-Type: message/rfc822`,
    `Content-Transfer-Encoding: 8bit`,
    ``,
    original.raw.trimEnd(),
    ``,
    `--${queueId}.1763889242/relay.uni.example--`,
    ``,
  ].join('\r\n');
}

describe('late bounces: VERP return paths, DSN intake, suppression', () => {
  useTestDb();
  let server: SMTPServer;
  const received: Received[] = [];
  let app: ReturnType<typeof createApp>;
  let courseId: Types.ObjectId;

  beforeAll(async () => {
    server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          received.push({ mailFrom: (session.envelope.mailFrom as { address: string }).address, rcptTo: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks).toString('utf8') });
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.server.address() as { port: number }).port;
    configureDelivery({ smtp: new SmtpChannel({ url: `smtp://127.0.0.1:${port}` }), publicUrl: 'http://keepup.test', mailFrom: 'keepup@keepup.test', messageIdDomain: 'keepup.test', bounceDomain: 'bounces.keepup.test', leaseMs: 5000, cap: { max: 20, windowMs: 7 * 86_400_000 } });
    app = createApp({ config: loadConfig({ ...process.env, NODE_ENV: 'test', KEEPUP_BOUNCE_SECRET: BOUNCE_SECRET }), checks: { mongo: async () => true, redis: async () => true } });
    courseId = (await buildCourse())._id;
    await seedRun(courseId, '2024-05-01', [
      { givenName: 'Ada', email: 'Ada.Gone@example.edu', dropout: 0.9, completion: 0.1, certificate: 0.1 },
      { givenName: 'Lin', email: 'lin@example.edu', dropout: 0.9, completion: 0.1, certificate: 0.1 },
    ]);
  });
  afterAll(async () => {
    configureDelivery(undefined);
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  async function sendCampaign(name: string): Promise<Map<string, { outboxId: Types.ObjectId; mail: Received }>> {
    const campaign = await Campaign.create({ courseId, name, channel: 'email', status: 'active', subject: `${name} for [:firstname:]`, body: 'Keep going.', audience: { dropout: { min: 0.5, max: 1 } }, quietHours: { start: 0, end: 0 }, createdBy: { userSub: 'inst-1' } });
    const { queued } = await enqueueRound(campaign._id, await allocateRound(campaign._id));
    const out = new Map<string, { outboxId: Types.ObjectId; mail: Received }>();
    for (const row of queued) {
      const before = received.length;
      const outcome = await deliverOutboxItem(row._id);
      if (outcome.kind !== 'sent') continue;
      const mail = received[before];
      out.set(mail.rcptTo[0].toLowerCase(), { outboxId: row._id, mail });
    }
    return out;
  }

  const postBounce = (raw: string, query = '', secret = BOUNCE_SECRET) => request(app).post(`/inbound/bounces${query}`).set('authorization', `Bearer ${secret}`).set('content-type', 'message/rfc822').send(raw);

  it('sends each email with its own signed return path', async () => {
    const sent = await sendCampaign('First');
    expect(sent.size).toBe(2);
    for (const { outboxId, mail } of sent.values()) {
      expect(mail.mailFrom).toBe(bounceAddresses().addressFor(outboxId, 'bounces.keepup.test'));
      expect(mail.mailFrom).toMatch(/^bounce\+[a-f0-9]{24}\.[a-f0-9]{16}@bounces\.keepup\.test$/);
      expect(bounceAddresses().verify(mail.mailFrom.toUpperCase())).toEqual(outboxId);
      expect(mail.raw).toMatch(/^From: Biology 101 via Keepup <keepup@keepup\.test>\r?$/m);
    }
    expect(bounceAddresses().verify(`bounce+${String(new Types.ObjectId())}.0123456789abcdef@bounces.keepup.test`)).toBeUndefined();
  });

  it('parses a Postfix DSN: recipient, action, enhanced status, folded diagnostic, returned Message-ID', () => {
    const mail: Received = { mailFrom: 'bounce+0123456789abcdef01234567.0123456789abcdef@bounces.keepup.test', rcptTo: ['x@example.edu'], raw: 'Message-ID: <abc.keepup@keepup.test>\r\nSubject: Hi\r\n\r\nBody\r\n' };
    const report = parseDeliveryStatusReport(postfixBounce(mail, 'x@example.edu', '5.1.1', 'failed', '550 5.1.1 <x@example.edu>: Recipient address rejected: User unknown in virtual mailbox table'))!;
    expect(report).toEqual({
      addressedTo: [mail.mailFrom, mail.mailFrom],
      reportingMta: 'relay.uni.example',
      recipients: [{ finalRecipient: 'x@example.edu', originalRecipient: 'x@example.edu', action: 'failed', status: '5.1.1', diagnosticCode: 'smtp; 550 5.1.1 <x@example.edu>: Recipient address rejected: User unknown in virtual mailbox table', remoteMta: 'mx.example.edu' }],
      originalMessageId: 'abc.keepup@keepup.test',
    });
    expect(parseDeliveryStatusReport('From: a@b\r\nSubject: Out of office\r\n\r\nI am away.')).toBeUndefined();
  });

  it('marks a delivery bounced when its DSN arrives after SMTP accepted it; a repeat DSN changes nothing; delays are only noted', async () => {
    const sent = await sendCampaign('Second');
    const ada = sent.get('ada.gone@example.edu')!;
    expect(await OutboxItem.findById(ada.outboxId).lean()).toMatchObject({ status: 'sent' });

    const delayed = await postBounce(postfixBounce(ada.mail, 'ada.gone@example.edu', '4.4.1', 'delayed', '421 4.4.1 mx.example.edu: Connection timed out, will retry'));
    expect([delayed.status, delayed.body]).toEqual([202, { kind: 'recorded', outboxId: String(ada.outboxId), bounce: 'delayed', status: '4.4.1', duplicate: false, suppressed: false }]);
    expect((await Message.findById(ada.outboxId).lean())!.status).toBe('accepted');

    const dsn = postfixBounce(ada.mail, 'ada.gone@example.edu', '5.1.1', 'failed', '550 5.1.1 <ada.gone@example.edu>: Recipient address rejected: User unknown');
    const res = await postBounce(dsn);
    expect([res.status, res.body]).toEqual([202, { kind: 'recorded', outboxId: String(ada.outboxId), bounce: 'hard', status: '5.1.1', duplicate: false, suppressed: false }]);
    expect(await OutboxItem.findById(ada.outboxId).lean()).toMatchObject({ status: 'failed', reason: 'bounced' });
    const message = (await Message.findById(ada.outboxId).lean())!;
    expect(message.status).toBe('bounced');
    expect(message.events.map((e) => e.type)).toEqual(['accepted', 'delayed', 'bounced']);
    expect(message.events[2].detail).toContain('5.1.1 smtp; 550 5.1.1');
    expect(await AuditEntry.countDocuments({ action: 'message.bounced', learnerId: message.learnerId })).toBe(1);
    const counted = (await EmailSuppression.findById('ada.gone@example.edu').lean())!;
    expect([counted.hardBounces, counted.suppressedAt ?? null]).toEqual([1, null]);

    const again = await postBounce(dsn);
    expect(again.body).toMatchObject({ kind: 'recorded', duplicate: true, suppressed: false });
    expect(await EmailSuppression.findById('ada.gone@example.edu').lean()).toMatchObject({ hardBounces: 1 });
    expect(await OutboxItem.findById(sent.get('lin@example.edu')!.outboxId).lean()).toMatchObject({ status: 'sent' });
  });

  it('suppresses an address after a second hard bounce, and later campaigns skip it', async () => {
    const sent = await sendCampaign('Third');
    const ada = sent.get('ada.gone@example.edu')!;
    // This time the MTA passes the envelope recipient and the bounce has no Delivered-To.
    const res = await postBounce(postfixBounce(ada.mail, 'ada.gone@example.edu', '5.1.1', 'failed', '550 5.1.1 <ada.gone@example.edu>: Recipient address rejected: User unknown', false), `?recipient=${encodeURIComponent(ada.mail.mailFrom)}`);
    expect(res.body).toMatchObject({ kind: 'recorded', bounce: 'hard', suppressed: true });
    expect((await EmailSuppression.findById('ada.gone@example.edu').lean())!.suppressedAt).toBeInstanceOf(Date);

    const later = await sendCampaign('Fourth');
    expect([...later.keys()]).toEqual(['lin@example.edu']);
    const skipped = await OutboxItem.findOne({ status: 'skipped', reason: 'suppressed' }).lean();
    expect(skipped).not.toBeNull();
  });

  it('accepts and drops mail that is not for one of our deliveries; refuses callers without the secret', async () => {
    const mail: Received = { mailFrom: `bounce+${String(new Types.ObjectId())}.0123456789abcdef@bounces.keepup.test`, rcptTo: ['z@example.edu'], raw: 'Subject: x\r\n\r\nx\r\n' };
    const forged = await postBounce(postfixBounce(mail, 'lin@example.edu', '5.1.1', 'failed', '550 5.1.1 User unknown here and now'));
    expect([forged.status, forged.body]).toEqual([202, { kind: 'unmatched', reason: 'no valid Keepup return path' }]);
    const autoReply = await postBounce('From: lin@example.edu\r\nSubject: Out of office\r\n\r\nAway until Monday.\r\n');
    expect(autoReply.body).toEqual({ kind: 'not_a_report' });
    const wrong = await postBounce('x', '', 'not-the-secret-0123456789abcdef0123456789');
    expect(wrong.status).toBe(401);
    const off = createApp({ config: loadConfig({ ...process.env, NODE_ENV: 'test', KEEPUP_BOUNCE_SECRET: undefined }), checks: { mongo: async () => true, redis: async () => true } });
    expect((await request(off).post('/inbound/bounces').set('authorization', `Bearer ${BOUNCE_SECRET}`).send('x')).status).toBe(503);
  });
});
