// The storefront as a shopper sees it, in headless Chromium, over the real chain:
// web -> catalog -> inventory -> PostgreSQL. Then the catalog goes away and the page must
// still come back quickly, saying so.
import { SEED_PRODUCTS } from '@ffk/catalog';
import { SEED_STOCK } from '@ffk/inventory';
import { type Browser, defined, launchBrowser, type Page } from '@ffk/test-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { banner } from '../../apps/catalog/src/banner';
import { POD_NAMES, type Services, startServices } from './start-services';

const UPSTREAM_TIMEOUT_MS = 2_000;

describe('storefront in a browser', () => {
  let services: Services;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    [services, browser] = await Promise.all([startServices({ upstreamTimeoutMs: UPSTREAM_TIMEOUT_MS }), launchBrowser()]);
    page = await browser.newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await services?.stop();
  });

  it('shows the banner from the catalog in its colour', async () => {
    await page.goto(services.webUrl);
    const header = page.getByTestId('banner');
    expect((await header.textContent())?.trim()).toBe(banner.text);
    // Expressions as strings: they run in the page, and the tests are typed without the DOM.
    // Let the browser turn banner.ts's colour (any CSS syntax) into rgb() to compare like with like.
    const expected = await page.evaluate(
      `(() => { const probe = document.createElement('div'); probe.style.color = ${JSON.stringify(banner.color)}; document.body.append(probe); const rgb = getComputedStyle(probe).color; probe.remove(); return rgb; })()`,
    );
    expect(await page.evaluate(`getComputedStyle(document.querySelector('[data-testid="banner"]')).backgroundColor`)).toBe(expected);
  });

  it('lists every product with its price and the stock inventory holds', async () => {
    const cards = page.getByTestId('product');
    expect(await cards.count()).toBe(SEED_PRODUCTS.length);
    for (const product of SEED_PRODUCTS) {
      const card = page.locator(`[data-testid="product"][data-sku="${product.sku}"]`);
      expect(await card.getByTestId('product-name').textContent()).toBe(product.name);
      expect(await card.getByTestId('product-price').textContent()).toBe(`$${(product.priceCents / 100).toFixed(2)}`);
      const { quantity } = defined(
        SEED_STOCK.find((row) => row.sku === product.sku),
        `the seed stock of ${product.sku}`,
      );
      expect(await card.getByTestId('product-stock').textContent()).toBe(quantity === 0 ? 'out of stock' : `${quantity} in stock`);
    }
    expect(SEED_STOCK.some((row) => row.quantity === 0)).toBe(true);
    expect(await page.getByTestId('degraded-notice').count()).toBe(0);
  });

  it('badges name the pods that answered', async () => {
    expect(await page.getByTestId('served-by-banner').textContent()).toContain(`served by: ${POD_NAMES.catalog}`);
    expect(await page.getByTestId('served-by-products').textContent()).toContain(`served by: ${POD_NAMES.catalog}`);
    expect(await page.getByTestId('served-by-inventory').textContent()).toContain(`served by: ${POD_NAMES.inventory}`);
  });

  it('previews as a developer through the page toggle, down to inventory', async () => {
    await page.getByLabel('Preview a personal intercept as').fill('alice');
    const before = services.inventoryRequests.length;
    await page.getByTestId('preview-submit').click();
    await page.getByTestId('preview-banner').waitFor();
    expect(await page.getByTestId('preview-banner').textContent()).toContain('previewing as alice');
    const seen = services.inventoryRequests.slice(before);
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((request) => request.headers['x-ffk-user'] === 'alice')).toBe(true);

    await page.getByTestId('preview-clear').click();
    await page.getByTestId('preview-form').waitFor();
    expect(await page.getByTestId('preview-banner').count()).toBe(0);
  });

  it('with the catalog stopped, still renders at once with a visible degraded notice', async () => {
    await services.stopCatalog();
    const started = Date.now();
    await page.goto(services.webUrl);
    const elapsed = Date.now() - started;
    const notice = page.getByTestId('degraded-notice');
    expect(await notice.isVisible()).toBe(true);
    expect(await notice.textContent()).toContain('catalog');
    expect(await page.getByTestId('products-unavailable').isVisible()).toBe(true);
    expect(await page.getByTestId('served-by-products').textContent()).toContain('unavailable');
    expect(elapsed).toBeLessThan(UPSTREAM_TIMEOUT_MS);
  });
});
