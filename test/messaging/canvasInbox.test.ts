import { allocateRound, enqueueRound } from '../../src/messaging/campaignRounds';
import { CanvasInboxClient } from '../../src/messaging/channels/CanvasInboxClient';
import { configureDelivery, canvasFromStoredToken } from '../../src/messaging/deliveryRuntime';
import { deliverOutboxItem } from '../../src/messaging/outboxDelivery';
import { startSimulator, RunningSimulator } from '../../src/simulator/createSimulator';
import { canvasInbox, issueInstructorToken } from '../../src/simulator/canvasApi/conversationsStore';
import { Campaign } from '../../src/storage/models/Campaign';
import { CanvasSenderToken } from '../../src/storage/models/CanvasSenderToken';
import { Message } from '../../src/storage/models/Message';
import { OutboxItem } from '../../src/storage/models/OutboxItem';
import { secrets } from '../../src/storage/secrets';
import { useTestDb } from '../support';
import { buildCourse, seedRun } from './factories';

describe('Canvas Inbox channel against the simulator’s Conversations API', () => {
  useTestDb();
  let sim: RunningSimulator;
  let token: string;
  const api = () => `${sim.url}/canvas`;

  beforeAll(async () => {
    sim = await startSimulator();
    const p = sim.sim.platforms.canvas;
    const tool = p.addTool({ loginUrl: 'http://localhost:1/lti/login', launchUrl: 'http://localhost:1/lti/launch', jwksUrl: 'http://localhost:1/jwks' });
    token = issueInstructorToken(p, tool.clientId);
    configureDelivery({ publicUrl: 'http://keepup.test', canvasFor: canvasFromStoredToken });
  });
  afterAll(async () => {
    configureDelivery(undefined);
    await sim.close();
  });

  const users = () => sim.sim.platforms.canvas.course.users.filter((u) => u.role === 'learner');

  it('answers like Canvas: 401 without a token, [{attribute, message}] errors, the 100-recipient limit, 202 [] in async mode', async () => {
    const post = (fields: Record<string, string | string[]>, auth = `Bearer ${token}`) => {
      const form = new URLSearchParams();
      for (const [k, v] of Object.entries(fields)) for (const value of [v].flat()) form.append(k, value);
      return fetch(`${api()}/api/v1/conversations`, { method: 'POST', headers: { authorization: auth, 'content-type': 'application/x-www-form-urlencoded' }, body: form });
    };
    expect((await post({ body: 'x', 'recipients[]': '502' }, 'Bearer nope')).status).toBe(401);
    const blank = await post({ body: 'x' });
    expect([blank.status, await blank.json()]).toEqual([400, [{ attribute: 'recipients', message: 'blank' }]]);
    const invalid = await post({ body: 'x', 'recipients[]': '999999' });
    expect(await invalid.json()).toEqual([{ attribute: 'recipients', message: 'invalid' }]);
    const many = Array.from({ length: 101 }, () => users()[0].platformUserId);
    const tooMany = await post({ body: 'x', subject: 's', 'recipients[]': many, group_conversation: 'false' });
    expect([tooMany.status, await tooMany.json()]).toEqual([400, [{ attribute: 'recipients', message: 'too many for group conversation' }]]);
    const ok = await post({ body: 'Hello', subject: 'Hi', 'recipients[]': users().slice(0, 3).map((u) => u.platformUserId), group_conversation: 'true', bulk_message: 'true', mode: 'async', context_code: 'course_1234' });
    expect([ok.status, await ok.json(), ok.headers.get('x-conversation-batch-id')]).toEqual([202, [], expect.stringMatching(/^\d+$/)]);
    await expect(new CanvasInboxClient({ apiBase: api(), token }).send({ recipients: many, subject: 's', body: 'b', contextCode: 'course_1234' })).rejects.toThrow('At most 100 recipients per call');
  });

  it('delivers a campaign through the instructor’s token: identical bodies share a call, personalised ones get their own', async () => {
    const inbox = canvasInbox(sim.sim.platforms.canvas);
    inbox.messages.splice(0);
    const callsBefore = inbox.calls;
    const course = await buildCourse();
    await CanvasSenderToken.create({ courseId: course._id, apiBase: api(), canvasCourseId: '1234', sealedToken: secrets().seal(token), userSub: 'instructor' });
    const learners = users().slice(0, 4);
    await seedRun(course._id, '2024-05-01', learners.map((u) => ({ givenName: u.givenName, canvasUserId: u.platformUserId, dropout: 0.8, completion: 0.1, certificate: 0.1 })));
    const plain = await Campaign.create({ courseId: course._id, name: 'Plain', channel: 'canvas', status: 'active', subject: 'Week 3 is open', body: 'New material is online.', audience: { dropout: { min: 0.5, max: 1 } }, createdBy: { userSub: 'instructor' } });
    const { queued } = await enqueueRound(plain._id, await allocateRound(plain._id));
    expect(await deliverOutboxItem(queued[0]._id)).toEqual({ kind: 'sent', rows: 4 });
    expect(inbox.calls - callsBefore).toBe(1);
    expect(inbox.messages.map((m) => m.recipientId).sort()).toEqual(learners.map((u) => u.platformUserId).sort());
    expect(inbox.messages[0]).toMatchObject({ subject: 'Week 3 is open', contextCode: 'course_1234' });
    expect(inbox.messages[0].body).toContain('New material is online.');
    expect(await OutboxItem.countDocuments({ campaignId: plain._id, status: 'sent' })).toBe(4);
    expect((await Message.findOne({ campaignId: plain._id }).lean())!.providerId).toMatch(/^canvas-batch:\d+$/);

    inbox.messages.splice(0);
    const personal = await Campaign.create({ courseId: course._id, name: 'Personal', channel: 'canvas', status: 'active', subject: 'Hi [:firstname:]', body: 'Keep going, [:firstname:].', audience: { dropout: { min: 0.5, max: 1 } }, createdBy: { userSub: 'instructor' } });
    const round = await enqueueRound(personal._id, await allocateRound(personal._id));
    const calls = inbox.calls;
    expect(await deliverOutboxItem(round.queued[0]._id)).toEqual({ kind: 'sent', rows: 4 });
    const subjects = learners.map((u) => `Hi ${u.givenName ?? 'there'}`);
    expect(subjects).toContain('Hi there');
    expect(inbox.calls - calls).toBe(new Set(subjects).size);
    expect(inbox.messages.map((m) => m.subject).sort()).toEqual(subjects.sort());
  });
});
