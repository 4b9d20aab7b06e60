import { Browser, Frame, Page } from 'playwright-core';
import { Types } from 'mongoose';
import { configureJobs, closeJobsConnection } from '../../jobs/connection';
import { closeQueues } from '../../jobs/queues';
import { TaskWorker } from '../../jobs/TaskWorker';
import type { AnyTask } from '../../jobs/BaseTask';
import { DeliverOutboxItemTask } from '../../jobs/tasks/DeliverOutboxItemTask';
import { SendCampaignRoundTask } from '../../jobs/tasks/SendCampaignRoundTask';
import { AutoCampaignProcessor } from '../../jobs/tasks/AutoCampaignProcessor';
import { emitCourseScored } from '../../jobs/events/courseScored';
import { SmtpChannel } from '../../src/messaging/channels/SmtpChannel';
import { startSmtpSink, RunningSmtpSink } from '../../src/messaging/demo/smtpSink';
import { configureDelivery } from '../../src/messaging/deliveryRuntime';
import { Campaign } from '../../src/storage/models/Campaign';
import { Course, CourseDoc } from '../../src/storage/models/Course';
import { CourseInsight } from '../../src/storage/models/CourseInsight';
import { LearnerCluster } from '../../src/storage/models/LearnerCluster';
import { OutboxItem } from '../../src/storage/models/OutboxItem';
import { Score } from '../../src/storage/models/Score';
import { requireEnv } from '../support';
import { fullLaunch, useLtiHarness } from '../lti/harness';
import { seedRun, SeedLearner } from '../messaging/factories';
import { launchChromium, openCourse } from '../browser';

const GIVEN = ['Ada', 'Lin', 'Sam', 'Noor', 'Ravi', 'Mia', 'Jon', 'Eva', 'Kofi', 'Yuki', 'Ana', 'Omar', 'Ida', 'Tom', 'Zoe'];

/** 30 learners in four groups: A completes without certificate, B completes with one, C is leaving, D is in between. */
function roster(): Array<SeedLearner & { group: string }> {
  const out: Array<SeedLearner & { group: string }> = [];
  const add = (group: string, count: number, p: Pick<SeedLearner, 'dropout' | 'completion' | 'certificate'>) => {
    for (let i = 0; i < count; i++) {
      const n = out.length;
      out.push({ group, givenName: GIVEN[n % GIVEN.length], familyName: `${group}${i}`, email: `${group.toLowerCase()}${i}@students.example`, lastWeekProblems: n, ...p });
    }
  };
  add('A', 8, { dropout: 0.2, completion: 0.8, certificate: 0.2 });
  add('B', 6, { dropout: 0.1, completion: 0.85, certificate: 0.85 });
  add('C', 10, { dropout: 0.8, completion: 0.2, certificate: 0.1 });
  add('D', 6, { dropout: 0.4, completion: 0.45, certificate: 0.5 });
  return out;
}

/** Behaviour clusters of the seeded learners, as the insights computation stores them. */
const CLUSTER_OF_GROUP: Record<string, string> = { A: 'Steady video watchers', B: 'Steady video watchers', C: 'Fading out', D: 'Occasional learners' };

async function storeClusters(courseId: string, ids: Types.ObjectId[], labels: string[]): Promise<void> {
  const names = [...new Set(labels)];
  await LearnerCluster.insertMany(ids.map((id, i) => ({ _id: `${courseId}|${id}`, c: courseId, l: String(id), k: names.indexOf(labels[i]), label: labels[i], runDate: '2024-05-01' })));
  const clusters = names.map((label, k) => ({ id: k, label, description: `${label}.`, size: labels.filter((l) => l === label).length, share: 0, dropoutRate: label === 'Fading out' ? 0.8 : 0.1 }));
  await CourseInsight.create({ _id: courseId, runDate: '2024-05-01', asOfDay: 0, computedAt: new Date(), overview: {}, clusters: { clusters }, design: {} });
}

async function settle(campaignId: Types.ObjectId, expected: number, sink: RunningSmtpSink, before: number): Promise<void> {
  await sink.waitFor(before + expected, 60_000);
  const deadline = Date.now() + 30_000;
  while ((await OutboxItem.countDocuments({ campaignId, status: { $in: ['pending', 'sending'] } })) > 0) {
    if (Date.now() > deadline) throw new Error('outbox did not settle');
    await new Promise((r) => setTimeout(r, 200));
  }
  await new Promise((r) => setTimeout(r, 500));
}

describe('instructor dashboard in Chromium, launched from the LMS simulator', () => {
  const h = useLtiHarness();
  let browser: Browser;
  let page: Page;
  let frame: Frame;
  let sink: RunningSmtpSink;
  let worker: TaskWorker;
  let stopAuto: () => void;
  let course: CourseDoc;
  const learners = roster();
  let ids: Types.ObjectId[];

  beforeAll(async () => {
    configureJobs({ redisUrl: requireEnv('REDIS_URL'), prefix: h.prefix });
    sink = await startSmtpSink();
    configureDelivery({ smtp: new SmtpChannel({ url: sink.url }), publicUrl: h.keepupUrl, mailFrom: 'keepup@keepup.test', messageIdDomain: 'keepup.test' });
    worker = new TaskWorker([new SendCampaignRoundTask(), new DeliverOutboxItemTask()], { concurrency: 4 }).start();
    stopAuto = new AutoCampaignProcessor().register();
    const launched = await fullLaunch(h, 'canvas', 'instructor');
    expect(launched.status).toBe(200);
    course = (await Course.findOne({ ltiContextIds: h.platform('canvas').course.contextId }).lean<CourseDoc>())!;
    ids = await seedRun(course._id, '2024-05-01', learners);
    await storeClusters(String(course._id), ids, learners.map((l) => CLUSTER_OF_GROUP[l.group]));
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    const reg = h.registrations.find((r) => r.flavour === 'canvas')!;
    frame = await openCourse(page, `${reg.launchLinks.instructor}&storage=0`);
    await frame.waitForSelector('#keepup-dashboard[data-ready="true"]', { timeout: 30_000 });
  }, 90_000);

  afterAll(async () => {
    stopAuto?.();
    await browser?.close();
    await worker?.close();
    configureDelivery(undefined);
    await sink?.close();
    await closeQueues();
    await closeJobsConnection();
  });

  const countText = () => frame.textContent('#selection-count');

  it('brush a range, narrow it from the keyboard, compose with merge fields, preview and send: exactly the selected learners get their own names', async () => {
    expect(await countText()).toBe('30 of 30 learners selected.');
    const over = (await frame.$('#chart-completion .u-over'))!;
    await over.scrollIntoViewIfNeeded();
    const box = (await over.boundingBox())!;
    if (process.env.DASHBOARD_SHOTS) await page.screenshot({ path: '/tmp/dashboard-before-brush.png' });
    await page.mouse.move(box.x + box.width * 0.62, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.8, box.y + box.height / 2, { steps: 4 });
    await page.mouse.move(box.x + box.width * 0.995, box.y + box.height / 2, { steps: 4 });
    await page.mouse.up();
    await frame.waitForFunction(() => document.getElementById('selection-count')!.textContent!.startsWith('14 of'));
    expect(await frame.inputValue('#range-completion-min')).toBe('60');
    expect(await countText()).toBe('14 of 30 learners selected.');

    await frame.fill('#range-certificate-max', '40');
    await frame.press('#range-certificate-max', 'Tab');
    await frame.waitForFunction(() => document.getElementById('selection-count')!.textContent!.startsWith('8 of'));
    expect(await countText()).toBe('8 of 30 learners selected.');

    const namesShared = await frame.isEnabled('#show-names');
    if (namesShared) await frame.check('#show-names');
    await frame.fill('#c-subject', 'Keep going, [:firstname:]!');
    await frame.fill('#c-body', 'Hi [:firstname:], you solved {{lastWeekProblems}} problems last week.{{#if lastWeekProblems}} Nice work.{{/if}}');
    await frame.fill('#c-sender-name', 'Prof. Chen');
    await frame.fill('#c-sender-email', 'chen@uni.example');
    await frame.click('#preview-button');
    await frame.waitForSelector('#preview pre');
    const firstRow = await frame.getAttribute('#learner-table tbody tr', 'data-learner');
    const previewed = learners[ids.findIndex((id) => String(id) === firstRow)];
    expect(previewed.group).toBe('A');
    expect(await frame.textContent('#preview pre')).toContain(namesShared ? `Hi ${previewed.givenName}, you solved ${previewed.lastWeekProblems} problems` : 'Hi ‹first name›');

    await frame.click('#send-button');
    await frame.waitForSelector('#confirm-send');
    expect(await frame.textContent('#confirm-text')).toContain('to 8 learners (0 excluded, 0 opted out)');
    await frame.click('#confirm-send');
    await frame.waitForFunction(() => document.getElementById('status')!.textContent!.startsWith('Sending'));

    const campaign = (await Campaign.findOne({ courseId: course._id }).lean())!;
    expect(campaign.audience).toMatchObject({ completion: { min: 0.6, max: 1 }, certificate: { min: 0, max: 0.4 }, dropout: null });
    await settle(campaign._id, 8, sink, 0);
    const groupA = learners.filter((l) => l.group === 'A');
    expect(sink.messages.map((m) => m.envelopeTo[0]).sort()).toEqual(groupA.map((l) => l.email).sort());
    for (const l of groupA) {
      const m = sink.messages.find((x) => x.envelopeTo[0] === l.email)!;
      expect(m.subject).toBe(`Keep going, ${l.givenName}!`);
      expect(m.text).toContain(`Hi ${l.givenName}, you solved ${l.lastWeekProblems} problems last week.${l.lastWeekProblems ? ' Nice work.' : ''}`);
      expect(m.replyTo).toBe('"Prof. Chen" <chen@uni.example>');
      expect(m.listUnsubscribePost).toBe('List-Unsubscribe=One-Click');
    }
  }, 120_000);

  it('has no serious or critical accessibility violations (axe-core)', async () => {
    await frame.addScriptTag({ path: require.resolve('axe-core/axe.min.js') });
    const results = await frame.evaluate(() => (window as unknown as { axe: { run(ctx: Document, o: object): Promise<{ violations: Array<{ id: string; impact: string; nodes: Array<{ target: string[] }> }> }> } }).axe.run(document, { runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }));
    const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`);
    expect(serious).toEqual([]);
  });

  it('narrows the selection by behaviour cluster with live counts per cluster, and the send confirmation names the picked cluster', async () => {
    await frame.click('.presets button:text("Everyone")');
    await frame.waitForFunction(() => document.getElementById('selection-count')!.textContent!.startsWith('30 of'));
    expect(await frame.textContent('#filter-cluster option:text-matches("^Fading out")')).toBe('Fading out: 10 of 10 (80% dropped out)');
    await frame.selectOption('#filter-cluster', { label: 'Fading out: 10 of 10 (80% dropped out)' });
    await frame.waitForFunction(() => document.getElementById('selection-count')!.textContent!.startsWith('10 of'));
    await frame.fill('#range-dropout-max', '50');
    await frame.press('#range-dropout-max', 'Tab');
    await frame.waitForFunction(() => document.getElementById('selection-count')!.textContent!.startsWith('0 of'));
    expect(await frame.textContent('#filter-cluster option:text-matches("^Occasional")')).toBe('Occasional learners: 6 of 6 (10% dropped out)');
    await frame.fill('#range-dropout-max', '100');
    await frame.press('#range-dropout-max', 'Tab');
    await frame.waitForFunction(() => document.getElementById('selection-count')!.textContent!.startsWith('10 of'));
    await frame.fill('#c-subject', 'Still with us?');
    await frame.fill('#c-body', 'Hi [:firstname:], the next unit is open.');
    await frame.click('#preview-button');
    await frame.waitForSelector('#preview pre');
    const previewedId = await frame.getAttribute('#learner-table tbody tr', 'data-learner');
    expect(learners[ids.findIndex((id) => String(id) === previewedId)].group).toBe('C');
    await frame.click('#send-button');
    await frame.waitForSelector('#confirm-send');
    expect(await frame.textContent('#confirm-text')).toContain('to 10 learners in Fading out (0 excluded, 0 opted out)');
    await frame.click('#confirm button.secondary');
    await frame.click('.presets button:text("Everyone")');
    await frame.waitForFunction(() => document.getElementById('selection-count')!.textContent!.startsWith('30 of'));
    expect(await frame.$$eval('#filter-cluster option:checked', (o) => o.length)).toBe(0);
  }, 60_000);

  it('an automatic campaign reaches only learners who newly match after the next nightly run', async () => {
    await frame.click('.presets button:text("Everyone")');
    await frame.fill('#range-dropout-min', '60');
    await frame.press('#range-dropout-min', 'Tab');
    await frame.waitForFunction(() => document.getElementById('selection-count')!.textContent!.startsWith('10 of'));
    await frame.fill('#c-name', 'Come back');
    await frame.fill('#c-subject', 'We miss you, [:firstname:]');
    await frame.fill('#c-body', 'Hi [:fullname:], the next unit is open.');
    await frame.check('#c-auto');
    await frame.click('#send-button');
    await frame.click('#confirm-send');
    await frame.waitForFunction(() => document.getElementById('status')!.textContent!.startsWith('Sending “We miss you'));
    const campaign = (await Campaign.findOne({ courseId: course._id, name: 'Come back' }).lean())!;
    expect(campaign.auto).toBe(true);
    const before = sink.messages.length;
    await settle(campaign._id, 10, sink, before);
    const round1 = sink.messages.slice(before).map((m) => m.envelopeTo[0]).sort();
    expect(round1).toEqual(learners.filter((l) => l.group === 'C').map((l) => l.email).sort());

    // Nightly run 2: four D learners now look likely to leave; two C learners no longer do.
    const run2 = learners.map((l, i) => {
      if (l.group === 'D' && i < 28) return { ...l, dropout: 0.7 };
      if (l.group === 'C' && i < 16) return { ...l, dropout: 0.3 };
      return l;
    });
    await Score.insertMany(run2.map((l, i) => ({ courseId: course._id, learnerId: ids[i], runDate: '2024-05-02', dropout: l.dropout, completion: l.completion, certificate: l.certificate, activity: { lastActiveAt: new Date(), lastWeekProblems: 1 } })));
    await Course.updateOne({ _id: course._id }, { $set: { lastScoredRunDate: '2024-05-02' } });
    const newMatches = learners.filter((l, i) => l.group === 'D' && i < 28).map((l) => l.email).sort();
    expect(newMatches).toHaveLength(4);
    const mid = sink.messages.length;
    expect(await emitCourseScored({ courseId: String(course._id), runDate: '2024-05-02' })).toEqual({ handlers: 1, failed: 0 });
    await emitCourseScored({ courseId: String(course._id), runDate: '2024-05-02' });
    await settle(campaign._id, 4, sink, mid);
    expect(sink.messages.slice(mid).map((m) => m.envelopeTo[0]).sort()).toEqual(newMatches);
    const m = sink.messages.slice(mid)[0];
    const learner = learners.find((l) => l.email === m.envelopeTo[0])!;
    expect(m.text).toContain(`Hi ${learner.givenName} ${learner.familyName}, the next unit is open.`);
    expect((await Campaign.findById(campaign._id).lean())!.rounds).toBe(2);
    expect(await OutboxItem.countDocuments({ campaignId: campaign._id })).toBe(14);
  }, 120_000);
});
