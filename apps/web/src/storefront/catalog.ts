// What the storefront needs from the catalog, fetched in parallel under one deadline.
// Each answer is kept separately so one failing endpoint degrades only its part of the page.

export interface Banner {
  text: string;
  color: string;
}

export interface Product {
  id: number;
  sku: string;
  name: string;
  description: string;
  priceCents: number;
  stock: number | null;
}

export interface ProductList {
  products: Product[];
  inventory: { ok: boolean; servedBy: string | null };
}

/** One upstream answer: its value and who served it, or why there is none. */
export type Answer<T> = { ok: true; value: T; servedBy: string | null } | { ok: false; reason: string };

export interface StorefrontData {
  banner: Answer<Banner>;
  products: Answer<ProductList>;
}

/** GET a path from the catalog; resolves with the parsed JSON and its x-ffk-served-by header, or throws a one-line reason. */
export type CatalogGet = (path: string) => Promise<{ body: unknown; servedBy: string | null }>;

function isBanner(body: unknown): body is Banner {
  const b = body as Banner;
  return typeof b?.text === 'string' && typeof b.color === 'string';
}

function isProductList(body: unknown): body is ProductList {
  const p = body as ProductList;
  return Array.isArray(p?.products) && typeof p.inventory?.ok === 'boolean';
}

async function answer<T>(get: CatalogGet, path: string, valid: (body: unknown) => body is T): Promise<Answer<T>> {
  try {
    const { body, servedBy } = await get(path);
    if (!valid(body)) return { ok: false, reason: `catalog answered ${path} with an unexpected shape` };
    return { ok: true, value: body, servedBy };
  } catch (error) {
    return { ok: false, reason: (error as Error).message };
  }
}

export async function loadStorefront(get: CatalogGet): Promise<StorefrontData> {
  const [banner, products] = await Promise.all([answer(get, '/banner', isBanner), answer(get, '/products', isProductList)]);
  return { banner, products };
}
