import { describe, expect, it } from 'vitest';
import type { Product, StorefrontData } from './catalog';
import { renderStorefront } from './page';

const product = (over: Partial<Product>): Product => ({ id: 1, sku: 'SKU-1', name: 'Mug', description: 'A mug', priceCents: 1250, stock: 3, ...over });

function page(data: Partial<StorefrontData>, previewUser: string | null = null): string {
  return renderStorefront(
    {
      banner: { ok: true, value: { text: 'Hello', color: '#0ea5e9' }, servedBy: 'catalog-7d9f-abc' },
      products: { ok: true, value: { products: [product({})], inventory: { ok: true, servedBy: 'inventory-55c-xyz' } }, servedBy: 'catalog-7d9f-abc' },
      ...data,
    },
    { previewUser },
  );
}

describe('storefront page', () => {
  it('shows price and the three stock states a shopper can see', () => {
    const html = page({
      products: {
        ok: true,
        servedBy: 'c',
        value: {
          products: [product({ sku: 'A', stock: 4 }), product({ sku: 'B', stock: 0 }), product({ sku: 'C', stock: null })],
          inventory: { ok: true, servedBy: 'i' },
        },
      },
    });
    expect(html).toContain('$12.50');
    expect(html).toContain('4 in stock');
    expect(html).toContain('out of stock');
    expect(html).toContain('stock unknown');
    expect(html).not.toContain('data-testid="degraded-notice"');
  });

  it('escapes catalog data so it cannot inject markup', () => {
    const html = page({
      banner: { ok: true, value: { text: '<script>alert(1)</script>', color: 'red;background:url(x)' }, servedBy: '"><b>' },
      products: { ok: true, servedBy: 'c', value: { products: [product({ name: '<img src=x onerror=alert(1)>' })], inventory: { ok: true, servedBy: 'i' } } },
    });
    expect(html).not.toContain('<script>alert');
    expect(html).not.toContain('<img src=x');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toContain('url(x)');
    expect(html).toContain('served by: &quot;&gt;&lt;b&gt;');
  });

  it('badges say which pod (or which laptop) answered', () => {
    const html = page({ banner: { ok: true, value: { text: 'x', color: 'teal' }, servedBy: 'local (devbox)' } });
    expect(html).toMatch(/class="badge local" data-testid="served-by-banner">banner · served by: local \(devbox\)/);
    expect(html).toContain('products · served by: catalog-7d9f-abc');
    expect(html).toContain('stock · served by: inventory-55c-xyz');
  });

  it('says the catalog is down and still shows a banner', () => {
    const html = page({
      banner: { ok: false, reason: 'catalog refused the connection (GET http://c/banner)' },
      products: { ok: false, reason: 'catalog did not answer within 2000 ms (GET http://c/products)' },
    });
    expect(html).toContain('data-testid="degraded-notice"');
    expect(html).toContain('catalog did not answer within 2000 ms (GET http://c/products)');
    expect(html).toContain('catalog refused the connection');
    expect(html).toContain('Fast Feedback Store');
    expect(html).toContain('Products cannot be shown right now.');
  });

  it('says stock is unknown when inventory is down', () => {
    const html = page({
      products: { ok: true, servedBy: 'c', value: { products: [product({ stock: null })], inventory: { ok: false, servedBy: null } } },
    });
    expect(html).toContain('inventory: unavailable, stock levels are unknown');
    expect(html).toContain('stock · unavailable');
  });

  it('shows who the developer previews as, with a way back', () => {
    const html = page({}, 'alice');
    expect(html).toContain('previewing as <strong>alice</strong>');
    expect(html).toContain('action="/preview/clear"');
    expect(page({})).toContain('action="/preview"');
  });
});
