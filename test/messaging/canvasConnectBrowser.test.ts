import { Browser, Frame, Page } from 'playwright-core';
import { allocateRound, enqueueRound } from '../../src/messaging/campaignRounds';
import { canvasFromStoredToken, configureDelivery } from '../../src/messaging/deliveryRuntime';
import { deliverOutboxItem } from '../../src/messaging/outboxDelivery';
import { canvasOAuth } from '../../src/simulator/canvasApi/canvasOAuth';
import { canvasInbox } from '../../src/simulator/canvasApi/conversationsStore';
import { Campaign } from '../../src/storage/models/Campaign';
import { CanvasSenderToken } from '../../src/storage/models/CanvasSenderToken';
import { Course, CourseDoc } from '../../src/storage/models/Course';
import { useLtiHarness } from '../lti/harness';
import { seedRun } from './factories';
import { launchChromium, openCourse } from '../browser';

describe('"Connect Canvas messaging" in Chromium, from a Canvas launch in the simulator', () => {
  const h = useLtiHarness();
  let browser: Browser;
  let page: Page;
  let frame: Frame;

  beforeAll(async () => {
    configureDelivery({ publicUrl: h.keepupUrl, canvasFor: canvasFromStoredToken });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    const reg = h.registrations.find((r) => r.flavour === 'canvas')!;
    frame = await openCourse(page, `${reg.launchLinks.instructor}&storage=0`);
    await frame.waitForSelector('#canvas-connect-button', { timeout: 30_000 });
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    configureDelivery(undefined);
  });

  it('opens Canvas consent in a new window, comes back connected, and Inbox sends use the granted token', async () => {
    expect(await frame.textContent('#canvas-connect-status')).toBe('Connect your Canvas account to send campaigns by Canvas Inbox.');
    const [popup] = await Promise.all([page.waitForEvent('popup'), frame.click('#canvas-connect-button')]);
    await popup.waitForURL(/\/canvas\/login\/oauth2\/auth\?/, { timeout: 15_000 });
    expect(await popup.textContent('h1')).toBe('Keepup messaging is requesting access to your account');
    await popup.click('button[value="accept"]');
    await popup.waitForSelector('[data-canvas-connect]');
    expect(await popup.getAttribute('[data-canvas-connect]', 'data-canvas-connect')).toBe('connected');
    await popup.close();
    await frame.waitForFunction(() => document.getElementById('canvas-connect-status')?.textContent?.startsWith('Canvas Inbox messages are sent from your Canvas account'), undefined, { timeout: 15_000 });
    expect(await frame.textContent('#canvas-connect-button')).toBe('Reconnect Canvas messaging');

    const sim = h.platform('canvas');
    expect(canvasOAuth(sim).stats.codeExchanges).toBe(1);
    const course = (await Course.findOne({ ltiContextIds: sim.course.contextId }).lean<CourseDoc>())!;
    const stored = (await CanvasSenderToken.findOne({ courseId: course._id }).lean())!;
    expect(stored).toMatchObject({ canvasCourseId: sim.course.platformCourseId, canvasUserId: sim.user('instructor')!.platformUserId });

    const learner = sim.course.users.find((u) => u.role === 'learner')!;
    await seedRun(course._id, '2024-05-01', [{ givenName: 'Ada', canvasUserId: learner.platformUserId, dropout: 0.9, completion: 0.1, certificate: 0.1 }]);
    const campaign = await Campaign.create({ courseId: course._id, name: 'Inbox', channel: 'canvas', status: 'active', subject: 'From the dashboard', body: 'Hello from Canvas.', audience: { dropout: { min: 0.5, max: 1 } }, createdBy: { userSub: stored.userSub } });
    const { queued } = await enqueueRound(campaign._id, await allocateRound(campaign._id));
    expect(await deliverOutboxItem(queued[0]._id)).toEqual({ kind: 'sent', rows: 1 });
    expect(canvasInbox(sim).messages.filter((m) => m.subject === 'From the dashboard').map((m) => m.recipientId)).toEqual([learner.platformUserId]);
  });
});
