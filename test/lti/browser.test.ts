import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, Browser, BrowserContext, Frame, Page } from 'playwright-core';
import { useLtiHarness } from './harness';

const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

/** The simulator's course page framing Keepup (127.0.0.1 frames localhost: a different site, as an LMS frames a tool). */
async function openCourse(page: Page, url: string): Promise<Frame> {
  await page.goto(url);
  const handle = await page.waitForSelector('iframe#tool-frame');
  await page.waitForFunction(() => {
    const f = document.getElementById('tool-frame') as HTMLIFrameElement | null;
    return Boolean(f?.src);
  });
  const frame = await handle.contentFrame();
  if (!frame) throw new Error('no tool frame');
  return frame;
}

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
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
    profileDir = fs.mkdtempSync(path.join(os.tmpdir(), 'keepup-nocookies-'));
    fs.mkdirSync(path.join(profileDir, 'Default'));
    fs.writeFileSync(path.join(profileDir, 'Default', 'Preferences'), JSON.stringify({ profile: { default_content_setting_values: { cookies: 2 } } }));
    blocking = await chromium.launchPersistentContext(profileDir, { executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
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
