import { afterAll, describe, expect, it } from 'vitest';
import { type Browser, launchBrowser } from './launch';

describe('launchBrowser', () => {
  let browser: Browser | undefined;
  afterAll(async () => browser?.close());

  // 120 s: the first launch on a machine unpacks Chromium from npm (5-50 s, by load).
  it('renders a page in headless Chromium', { timeout: 120_000 }, async () => {
    browser = await launchBrowser();
    const page = await browser.newPage();
    await page.setContent('<h1 style="color: rgb(1, 2, 3)">hello</h1><script>document.title = "ran " + (1 + 1)</script>');
    expect(await page.textContent('h1')).toBe('hello');
    expect(await page.title()).toBe('ran 2');
    // A string expression: it runs in the page, and this package is typed without the DOM.
    expect(await page.evaluate("getComputedStyle(document.querySelector('h1')).color")).toBe('rgb(1, 2, 3)');
  });

  it('says what to do when the Chromium asked for is missing', async () => {
    await expect(launchBrowser({ executablePath: '/nonexistent/chromium' })).rejects.toThrow(
      'Chromium is not installed at /nonexistent/chromium: point CHROMIUM_PATH at a Chromium binary',
    );
  });
});
