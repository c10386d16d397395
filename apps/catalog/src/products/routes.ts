import type { Logger, Pool, Upstream } from '@ffk/service-kit';
import { Router } from 'express';
import { lookUpStock, type StockLookup } from './stock';

interface ProductRow {
  id: number;
  sku: string;
  name: string;
  description: string;
  price_cents: number;
}

const COLUMNS = 'id, sku, name, description, price_cents';

function present(row: ProductRow, stock: StockLookup) {
  return { id: row.id, sku: row.sku, name: row.name, description: row.description, priceCents: row.price_cents, stock: stock.quantityOf(row.sku) };
}

export function productRoutes(pool: Pool, inventory: Upstream, logger: Logger): Router {
  const router = Router();

  router.get('/products', async (_req, res) => {
    // Database and inventory in parallel: the page waits for the slower one, not for both in turn.
    const [{ rows }, stock] = await Promise.all([pool.query<ProductRow>(`select ${COLUMNS} from products order by id`), lookUpStock(inventory, logger)]);
    res.json({ products: rows.map((row) => present(row, stock)), inventory: stock.inventory });
  });

  router.get('/products/:id', async (req, res) => {
    const id = Number(req.params.id);
    if (!Number.isSafeInteger(id) || id <= 0) return void res.status(404).json({ error: `no product with id ${req.params.id}` });
    const { rows } = await pool.query<ProductRow>(`select ${COLUMNS} from products where id = $1`, [id]);
    if (!rows[0]) return void res.status(404).json({ error: `no product with id ${id}` });
    const stock = await lookUpStock(inventory, logger);
    res.json({ ...present(rows[0], stock), inventory: stock.inventory });
  });

  return router;
}
