// Headless Chromium for tests that look at a page the way a user does. It uses the distro's
// Chromium (Debian: /usr/bin/chromium) because playwright's own browser downloads are not
// available here; playwright-core drives it.
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export type { Browser, Page } from 'playwright-core';

const DEFAULT_CHROMIUM = '/usr/bin/chromium';

// Quiet and deterministic: no sandbox (tests run as root in CI), no GPU, no background traffic.
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

/**
 * Launches headless Chromium with a fresh profile (playwright creates a new user-data dir per
 * launch and removes it on close). Call `browser.close()` in afterAll.
 * Throws, saying how to install it, when the executable is missing: a browser test never skips silently.
 */
export async function launchBrowser(options: { executablePath?: string } = {}): Promise<Browser> {
  const executablePath = options.executablePath ?? process.env.CHROMIUM_PATH ?? DEFAULT_CHROMIUM;
  if (!existsSync(executablePath)) {
    throw new Error(`Chromium is not installed at ${executablePath}: install it with \`apt-get install -y chromium\` (Debian/Ubuntu) or point CHROMIUM_PATH at a Chromium binary.`);
  }
  return chromium.launch({ executablePath, headless: true, args: FLAGS });
}
