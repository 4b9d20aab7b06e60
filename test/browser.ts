import { chromium, type Browser, type Frame, type Page } from 'playwright-core';

/** Debian's Chromium (scripts/ensureBrowser.js installs it), headless and quiet. */
export const CHROMIUM_PATH = '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

/** A headless Chromium for a browser test; close it in afterAll. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}

/**
 * Opens a simulator course page and returns the frame Keepup is launched in (127.0.0.1 frames localhost: a
 * different site, as an LMS frames a tool).
 */
export async function openCourse(page: Page, url: string): Promise<Frame> {
  await page.goto(url);
  const handle = await page.waitForSelector('iframe#tool-frame');
  await page.waitForFunction(() => Boolean((document.getElementById('tool-frame') as HTMLIFrameElement | null)?.src));
  const frame = await handle.contentFrame();
  if (!frame) throw new Error('no tool frame');
  return frame;
}
