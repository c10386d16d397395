// The storefront as a learner sees it: what the page at http://localhost:8080 shows, read from
// its HTML (banner, badges, products), for the checks that say "your change is visible".
export const STOREFRONT_URL = 'http://127.0.0.1:8080/';

export interface StorefrontView {
  banner: string;
  /** Who answered each upstream call: a pod name, `local (<host>)`, or null when it was down. */
  servedBy: { banner: string | null; products: string | null; inventory: string | null };
  products: number;
  /** Products whose stock is a number (inventory answered). */
  inStock: number;
}

export interface ViewOptions {
  /** Who is previewing: sent as the storefront's own cookie, as the "preview as" toggle does. */
  previewAs?: string;
  signal?: AbortSignal;
}

const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'", '&#x27;': "'" };
const decode = (text: string) => text.replace(/&(?:amp|lt|gt|quot|#39|#x27);/g, (entity) => ENTITIES[entity]).trim();

function badge(html: string, id: string): string | null {
  const match = new RegExp(`data-testid="served-by-${id}">[^<]*?served by: ([^<]*)<`).exec(html);
  return match ? decode(match[1]) : null;
}

export function parseStorefront(html: string): StorefrontView {
  return {
    banner: decode(/data-testid="banner"[^>]*>([^<]*)</.exec(html)?.[1] ?? ''),
    servedBy: { banner: badge(html, 'banner'), products: badge(html, 'products'), inventory: badge(html, 'inventory') },
    products: html.match(/data-testid="product"/g)?.length ?? 0,
    inStock: html.match(/data-testid="product-stock">\d+ in stock/g)?.length ?? 0,
  };
}

export async function viewStorefront(options: ViewOptions = {}): Promise<StorefrontView> {
  const headers: Record<string, string> = options.previewAs ? { cookie: `ffk-user=${options.previewAs}` } : {};
  let response: Response;
  try {
    response = await fetch(STOREFRONT_URL, { headers, signal: AbortSignal.any([AbortSignal.timeout(5000), ...(options.signal ? [options.signal] : [])]) });
  } catch (error) {
    throw new Error(
      `the storefront does not answer on ${STOREFRONT_URL} (${String((error as Error).cause ?? error)}); is the cluster up? \`npm run lab:1\` brings it up`,
      { cause: error },
    );
  }
  if (!response.ok) throw new Error(`the storefront answered HTTP ${response.status} on ${STOREFRONT_URL}`);
  return parseStorefront(await response.text());
}

export const isLocal = (servedBy: string | null) => servedBy?.startsWith('local') ?? false;

/**
 * Polls the storefront until `ready(view)` holds (every 50 ms, so a measured loop is not
 * rounded up by the polling), or throws after `timeoutMs` saying what it saw last.
 */
export async function waitForStorefront(
  ready: (view: StorefrontView) => boolean,
  options: ViewOptions & { timeoutMs: number; waitingFor: string },
): Promise<StorefrontView> {
  const deadline = Date.now() + options.timeoutMs;
  let last: string;
  for (;;) {
    try {
      const view = await viewStorefront(options);
      if (ready(view)) return view;
      last = `banner "${view.banner}" served by ${view.servedBy.banner ?? 'nobody (catalog down)'}`;
    } catch (error) {
      last = (error as Error).message;
    }
    if (Date.now() > deadline)
      throw new Error(`after ${Math.round(options.timeoutMs / 1000)} s the storefront still does not show ${options.waitingFor}: ${last}`);
    if (options.signal?.aborted) throw new Error('stopped');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
