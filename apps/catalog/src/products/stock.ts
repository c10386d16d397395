import { type Logger, SERVED_BY_HEADER, type Upstream } from '@ffk/service-kit';

export interface StockLookup {
  /** What the storefront shows about inventory: did it answer, and who answered. */
  inventory: { ok: boolean; servedBy: string | null };
  /** Quantity by SKU; null when inventory did not answer or does not know the SKU. */
  quantityOf(sku: string): number | null;
}

/**
 * Stock for the products on a page, from inventory. Inventory being down or slow must not take
 * the catalog down with it: the upstream call is cut off at its timeout, and the products are
 * then served with stock null and inventory.ok false.
 */
export async function lookUpStock(inventory: Upstream, logger: Logger): Promise<StockLookup> {
  try {
    const { body, response } = await inventory.json<{ items: Array<{ sku: string; quantity: number }> }>('/stock');
    const bySku = new Map(body.items.map((item) => [item.sku, item.quantity]));
    return { inventory: { ok: true, servedBy: response.headers.get(SERVED_BY_HEADER) }, quantityOf: (sku) => bySku.get(sku) ?? null };
  } catch (error) {
    logger.warn(`serving products without stock: ${(error as Error).message}`);
    return { inventory: { ok: false, servedBy: null }, quantityOf: () => null };
  }
}
