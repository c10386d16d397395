// Headless Chromium for tests that look at a page the way a user does, driven by playwright-core
// (playwright's own browser downloads are not reachable here). It ends with the test process: it
// reads its commands from a pipe, and exits when that pipe closes.
import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';
import { chromiumFromNpm } from './chromium-from-npm';

export type { Browser, Page } from 'playwright-core';

const SYSTEM_CHROMIUM = '/usr/bin/chromium';

// Quiet and deterministic: no sandbox (tests run as root in CI), no GPU, no background traffic.
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** The Chromium to run: the one asked for, else the system's, else the one from npm (unpacked on first use). */
async function findChromium(asked: string | undefined): Promise<{ executablePath: string; env?: Record<string, string> }> {
  if (asked) {
    if (!existsSync(asked))
      throw new Error(
        `Chromium is not installed at ${asked}: point CHROMIUM_PATH at a Chromium binary, or unset it to use the one from npm (@sparticuz/chromium, Linux only).`,
      );
    return { executablePath: asked };
  }
  if (existsSync(SYSTEM_CHROMIUM)) return { executablePath: SYSTEM_CHROMIUM };
  const npm = await chromiumFromNpm();
  if (npm) return npm;
  throw new Error(
    `No Chromium: ${SYSTEM_CHROMIUM} is missing and the npm package @sparticuz/chromium has no build for ${process.platform}-${process.arch}: install Chromium and point CHROMIUM_PATH at it.`,
  );
}

/**
 * Launches headless Chromium with a fresh profile (playwright creates a new user-data dir per
 * launch and removes it on close). Call `browser.close()` in afterAll.
 * Throws, saying how to get one, when there is no Chromium: a browser test never skips silently.
 */
export async function launchBrowser(options: { executablePath?: string } = {}): Promise<Browser> {
  const { executablePath, env } = await findChromium(options.executablePath ?? process.env.CHROMIUM_PATH);
  return chromium.launch({ executablePath, headless: true, args: FLAGS, env: env && { ...process.env, ...env } });
}
