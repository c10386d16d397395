import { safeBackground, textColorFor } from './banner-colors';
import type { Answer, Product, StorefrontData } from './catalog';
import { html, type SafeHtml, trusted } from './html';
import { STYLES } from './styles';

export interface PageOptions {
  /** The name in the ffk-user cookie or x-ffk-user header, when a developer previews their intercept. */
  previewUser: string | null;
}

const FALLBACK_BANNER = 'Fast Feedback Store';

function formatPrice(cents: number): string {
  return `$${(cents / 100).toFixed(2)}`;
}

function stockLine(stock: number | null): SafeHtml {
  if (stock === null) return html`<p class="stock unknown" data-testid="product-stock">stock unknown</p>`;
  if (stock <= 0) return html`<p class="stock out" data-testid="product-stock">out of stock</p>`;
  return html`<p class="stock" data-testid="product-stock">${stock} in stock</p>`;
}

function productCard(product: Product): SafeHtml {
  return html`<article class="card" data-testid="product" data-sku="${product.sku}">
    <h2 data-testid="product-name">${product.name}</h2>
    <p>${product.description}</p>
    <p class="price" data-testid="product-price">${formatPrice(product.priceCents)}</p>
    ${stockLine(product.stock)}
  </article>`;
}

/** "served by: <pod>" for an answer, green when it came from a developer's machine. */
type Served = { ok: true; servedBy: string | null } | { ok: false };

function badge(id: string, label: string, answer: Served): SafeHtml {
  if (!answer.ok) return html`<span class="badge down" data-testid="served-by-${id}">${label} · unavailable</span>`;
  const who = answer.servedBy ?? 'unknown';
  const local = who.startsWith('local') ? ' local' : '';
  return html`<span class="badge${local}" data-testid="served-by-${id}">${label} · served by: ${who}</span>`;
}

function problems(data: StorefrontData): string[] {
  const list: string[] = [];
  if (!data.banner.ok) list.push(data.banner.reason);
  if (!data.products.ok) list.push(data.products.reason);
  else if (!data.products.value.inventory.ok) list.push('inventory: unavailable, stock levels are unknown');
  return list;
}

function degradedNotice(list: string[]): SafeHtml | false {
  if (list.length === 0) return false;
  return html`<div class="notice" role="alert" data-testid="degraded-notice">
    Some services are unavailable: this page shows what it could get.
    <ul>
      ${list.map((line) => html`<li>${line}</li>`)}
    </ul>
  </div>`;
}

function previewNotice(user: string | null): SafeHtml | false {
  return (
    user !== null &&
    html`<div class="preview" data-testid="preview-banner">
      previewing as <strong>${user}</strong>: requests to the services carry <code>x-ffk-user: ${user}</code>, so a personal intercept sees them.
    </div>`
  );
}

/** Sets or clears the ffk-user cookie (lab 4: personal intercepts). */
function previewToggle(user: string | null): SafeHtml {
  if (user !== null) {
    return html`<form method="post" action="/preview/clear">
      <span>Previewing as ${user}.</span><button type="submit" data-testid="preview-clear">stop previewing</button>
    </form>`;
  }
  return html`<form method="post" action="/preview" data-testid="preview-form">
    <label for="preview-user">Preview a personal intercept as</label>
    <input id="preview-user" name="user" placeholder="your name" required />
    <button type="submit" data-testid="preview-submit">preview</button>
  </form>`;
}

function productGrid(products: Answer<{ products: Product[] }>): SafeHtml {
  if (!products.ok) return html`<p class="empty" data-testid="products-unavailable">Products cannot be shown right now.</p>`;
  if (products.value.products.length === 0) return html`<p class="empty">No products yet.</p>`;
  return html`<section class="grid" data-testid="product-grid">${products.value.products.map(productCard)}</section>`;
}

export function renderStorefront(data: StorefrontData, options: PageOptions): string {
  const bannerText = data.banner.ok ? data.banner.value.text : FALLBACK_BANNER;
  const background = safeBackground(data.banner.ok ? data.banner.value.color : undefined);
  const inventory: Served =
    data.products.ok && data.products.value.inventory.ok ? { ok: true, servedBy: data.products.value.inventory.servedBy } : { ok: false };
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${bannerText}</title>
        <style>
          ${trusted(STYLES)}
        </style>
      </head>
      <body>
        <header class="banner" data-testid="banner" style="background:${background};color:${textColorFor(background)}">${bannerText}</header>
        <div class="wrap">
          ${degradedNotice(problems(data))} ${previewNotice(options.previewUser)}
          <nav class="badges" aria-label="who served this page">
            ${badge('banner', 'banner', data.banner)} ${badge('products', 'products', data.products)} ${badge('inventory', 'stock', inventory)}
          </nav>
          ${productGrid(data.products)}
          <footer>${previewToggle(options.previewUser)}</footer>
        </div>
      </body>
    </html> `.text;
}
