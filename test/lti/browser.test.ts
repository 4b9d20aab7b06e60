import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, Browser, BrowserContext, Frame, Page } from 'playwright-core';
import { useLtiHarness } from './harness';
import { CHROMIUM_ARGS, CHROMIUM_PATH, launchChromium, openCourse } from '../browser';

/**
 * Chromium 156 already blocks unpartitioned third-party cookies by default; Keepup's login cookie is Partitioned
 * (CHIPS), so the default browser exercises the cookie binding. `blocking` is a profile that refuses cookies
 * altogether (content setting "block all cookies"), the Safari-like case where only LTI platform storage works.
 */
describe('launches in Chromium, Keepup framed by the LMS on another site', () => {
  const h = useLtiHarness();
  let browser: Browser;
  let blocking: BrowserContext;
  let profileDir: string;

  beforeAll(async () => {
    browser = await launchChromium();
    profileDir = fs.mkdtempSync(path.join(os.tmpdir(), 'keepup-nocookies-'));
    fs.mkdirSync(path.join(profileDir, 'Default'));
    fs.writeFileSync(path.join(profileDir, 'Default', 'Preferences'), JSON.stringify({ profile: { default_content_setting_values: { cookies: 2 } } }));
    blocking = await chromium.launchPersistentContext(profileDir, { executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await blocking?.close();
    if (profileDir) fs.rmSync(profileDir, { recursive: true, force: true });
  });

  const course = (flavour: string, user: string, storage: boolean) => {
    const reg = h.registrations.find((r) => r.flavour === flavour)!;
    return `${reg.launchLinks[user === 'instructor' ? 'instructor' : 'learner']}${storage ? '' : '&storage=0'}`;
  };

  it('an instructor launch opens the dashboard (cookie binding)', async () => {
    const page = await browser.newPage();
    const frame = await openCourse(page, course('canvas', 'instructor', false));
    await frame.waitForSelector('#keepup-session[data-verified="cookie"]', { state: 'attached' });
    expect(await frame.textContent('.keepup-instructor h1')).toBe('Biology 101: Cells and Systems');
    expect(new URL(frame.url()).host).toBe(new URL(h.keepupUrl).host);
    await page.close();
  });

  it('a learner launch opens the widget and its session reaches the API', async () => {
    const page = await browser.newPage();
    const frame = await openCourse(page, course('openedx', 'learner', false));
    await frame.waitForSelector('#keepup-session[data-verified="cookie"]', { state: 'attached' });
    expect(await frame.isVisible('.keepup-learner')).toBe(true);
    const me = await frame.evaluate(() => (window as unknown as { KeepupSession: { fetch(u: string): Promise<Response> } }).KeepupSession.fetch('/api/session').then((r) => r.json()));
    expect(me).toMatchObject({ role: 'learner', courseTitle: 'Biology 101: Cells and Systems' });
    await page.close();
  });

  it('with cookies blocked and no platform storage, the launch is refused with an explanation', async () => {
    const page = await blocking.newPage();
    const frame = await openCourse(page, course('canvas', 'learner', false));
    await frame.waitForSelector('.lti-error-message');
    expect(await frame.getAttribute('.lti-error-message', 'data-code')).toBe('state_cookie_missing');
    await page.close();
  });

  it('with cookies blocked, the platform storage flow succeeds', async () => {
    const page = await blocking.newPage();
    const frame = await openCourse(page, course('canvas', 'instructor', true));
    await frame.waitForSelector('#keepup-session[data-verified="platform-storage"]', { state: 'attached' });
    expect(await frame.textContent('.keepup-instructor h1')).toBe('Biology 101: Cells and Systems');
    const learnerPage = await blocking.newPage();
    const learnerFrame = await openCourse(learnerPage, course('moodle', 'learner', true));
    await learnerFrame.waitForSelector('#keepup-session[data-verified="platform-storage"]', { state: 'attached' });
    const me = await learnerFrame.evaluate(() => (window as unknown as { KeepupSession: { fetch(u: string): Promise<Response> } }).KeepupSession.fetch('/api/session').then((r) => r.json()));
    expect(me.role).toBe('learner');
    await page.close();
    await learnerPage.close();
  });
});
