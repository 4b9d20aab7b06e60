import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import axe from 'axe-core';
import { chromium, BrowserContext, Frame, Page } from 'playwright-core';
import { computeExperimentOutcomes } from '../../src/experiments/computeExperimentOutcomes';
import { createExperiment, startExperiment } from '../../src/experiments/experimentLifecycle';
import { refreshNudgeCache } from '../../src/nudges/refreshNudgeCache';
import { Course } from '../../src/storage/models/Course';
import { Experiment } from '../../src/storage/models/Experiment';
import { Exposure } from '../../src/storage/models/Exposure';
import { Learner } from '../../src/storage/models/Learner';
import { Score } from '../../src/storage/models/Score';
import { fullLaunch, useLtiHarness } from '../lti/harness';
import { generatedReader, tokenFor } from '../experiments/fixtures';
import { CHROMIUM_ARGS, CHROMIUM_PATH, openCourse } from '../browser';

/** Serious and critical axe-core violations in a frame or page, as "rule: target" strings. */
async function seriousViolations(target: Frame | Page): Promise<string[]> {
  await target.addScriptTag({ content: axe.source });
  const results = (await target.evaluate(() => (window as unknown as { axe: typeof axe }).axe.run(document, { resultTypes: ['violations'] }))) as axe.AxeResults;
  return results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.target.join(' ')}`));
}

/**
 * The learner widget inside the LMS simulator's iframe (Keepup on `localhost`, the LMS on `127.0.0.1`) in a
 * Chromium profile that blocks all cookies: the launch completes through LTI platform storage and the widget
 * works on its bearer session token alone. axe-core checks the widget and the experiment results page.
 */
describe('nudge widget in Chromium with third-party cookies blocked', () => {
  const h = useLtiHarness();
  let context: BrowserContext;
  let profileDir: string;
  let courseId: string;
  let experimentId: string;
  let learnerId: string;

  beforeAll(async () => {
    // A first launch creates the course and the learner, as a real one would.
    const first = await fullLaunch(h, 'moodle', 'learner');
    expect(first.status).toBe(200);
    const user = h.platform('moodle').user('learner')!;
    const learner = await Learner.findOne({ 'ids.ltiSub': user.sub }).lean();
    learnerId = String(learner!._id);
    courseId = String(learner!.courseId);
    await Course.updateOne({ _id: courseId }, { $set: { lastScoredRunDate: '2025-03-10' } });
    await Score.create({ courseId, learnerId, runDate: '2025-03-10', dropout: 0.4, completion: 0.5, certificate: 0.3, whatIf: { certificatePerVideoHour: 0.03, trustworthy: true }, activity: { lastWeekMinutes: 95, lastWeekProblems: 4 } });
    const experiment = await createExperiment({
      courseId,
      input: { name: 'Effort vs control', holdout: 0, arms: [{ key: 'effort', label: 'Effort-driven', strategy: 'effort', weight: 1000 }, { key: 'control', label: 'Control', strategy: 'control', weight: 0.001 }] },
      salt: 'browser-test',
    });
    experimentId = String(experiment._id);
    await startExperiment({ courseId, experimentId });
    await refreshNudgeCache({ courseId });

    profileDir = fs.mkdtempSync(path.join(os.tmpdir(), 'keepup-widget-nocookies-'));
    fs.mkdirSync(path.join(profileDir, 'Default'));
    fs.writeFileSync(path.join(profileDir, 'Default', 'Preferences'), JSON.stringify({ profile: { default_content_setting_values: { cookies: 2 } } }));
    context = await chromium.launchPersistentContext(profileDir, { executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  }, 120_000);

  afterAll(async () => {
    await context?.close();
    if (profileDir) fs.rmSync(profileDir, { recursive: true, force: true });
  });

  it('shows the learner their nudge, logs the exposure, and passes axe', async () => {
    const reg = h.registrations.find((r) => r.flavour === 'moodle')!;
    const page = await context.newPage();
    const frame = await openCourse(page, reg.launchLinks.learner);
    await frame.waitForSelector('#keepup-session[data-verified="platform-storage"]', { state: 'attached' });
    await frame.waitForSelector('#keepup-widget[data-state="nudge"]');
    expect(await frame.textContent('[data-testid="nudge-message"]')).toBe('Sam, you spent 95 minutes learning and completed 4 homework questions last week, keep going!');
    expect(await frame.evaluate(() => document.cookie)).toBe('');
    await frame.click('.keepup-why summary');
    expect(await frame.isVisible('.keepup-why p')).toBe(true);
    expect(await seriousViolations(frame)).toEqual([]);
    // The widget reports its exposure right after rendering; wait for that write.
    let exposures = 0;
    for (let i = 0; i < 50 && exposures === 0; i++) {
      exposures = await Exposure.countDocuments({ experimentId });
      if (!exposures) await new Promise((r) => setTimeout(r, 100));
    }
    expect(exposures).toBe(1);

    await frame.click('button.keepup-optout');
    await frame.waitForSelector('#keepup-widget[data-state="opted-out"]');
    expect(await frame.textContent('.keepup-widget-status')).toBe('Done: Keepup will not show you nudges or send you messages.');
    expect((await Learner.findById(learnerId).lean())!.optOut).toMatchObject({ nudges: true, messages: true });
    expect(await seriousViolations(frame)).toEqual([]);
    await frame.click('button.keepup-optout');
    await frame.waitForSelector('#keepup-widget[data-state="nudge"]');
    await page.close();
  }, 60_000);

  it('an instructor opens Experiments from the launch, creates a draft, is told why it cannot start yet, and opens results', async () => {
    const reg = h.registrations.find((r) => r.flavour === 'moodle')!;
    const page = await context.newPage();
    const frame = await openCourse(page, reg.launchLinks.instructor);
    await frame.waitForSelector('#keepup-session[data-verified="platform-storage"]', { state: 'attached' });
    await frame.click('a[data-keepup-post="/experiments"]');
    await frame.waitForSelector('#experiment-form');
    expect(await frame.textContent('h1')).toBe('Experiments: Biology 101: Cells and Systems');
    expect(await seriousViolations(frame)).toEqual([]);
    await frame.fill('#exp-name', 'Second look');
    await frame.click('#experiment-form button[type="submit"]');
    await frame.waitForSelector('tr:has(th:text("Second look")) button[data-action="start"]');
    await frame.click('tr:has(th:text("Second look")) button[data-action="start"]');
    await frame.waitForFunction(() => document.querySelector('[data-testid="page-status"]')?.textContent?.includes('already running'));
    expect(await frame.textContent('[data-testid="page-status"]')).toBe('"Effort vs control" is already running in this course; stop it first.');
    await frame.click(`a[data-keepup-post="/experiments/${experimentId}"]`);
    await frame.waitForSelector('[data-testid="srm"]');
    expect(await frame.textContent('h1')).toBe('Effort vs control');
    await page.close();
  }, 60_000);

  it('renders the results page with its table and passes axe', async () => {
    await Experiment.updateOne({ _id: experimentId }, { $set: { startDay: 20150 } });
    await computeExperimentOutcomes({ experimentId, reader: generatedReader([learnerId]), throughDay: 20170 });
    const page = await context.newPage();
    await page.goto(`${h.keepupUrl}/healthz`);
    await page.setContent(`<form method="post" action="${h.keepupUrl}/experiments/${experimentId}"><input type="hidden" name="token" value="${tokenFor(courseId, 'instructor')}"></form>`);
    await Promise.all([page.waitForNavigation(), page.evaluate(() => (document.querySelector('form') as HTMLFormElement).submit())]);
    await page.waitForSelector('table.metric[data-metric="videoMinutes"]');
    expect(await page.textContent('h1')).toBe('Effort vs control');
    expect(await seriousViolations(page)).toEqual([]);
    await page.close();
  }, 60_000);
});
