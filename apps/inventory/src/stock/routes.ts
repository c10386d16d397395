import type { Pool } from '@ffk/service-kit';
import { Router } from 'express';

const MAX_RESERVATION = 1_000_000;

function requestedQuantity(body: unknown): number | undefined {
  const quantity = (body as { quantity?: unknown } | undefined)?.quantity;
  return typeof quantity === 'number' && Number.isInteger(quantity) && quantity > 0 && quantity <= MAX_RESERVATION ? quantity : undefined;
}

export function stockRoutes(pool: Pool): Router {
  const router = Router();

  router.get('/stock', async (_req, res) => {
    const { rows } = await pool.query<{ sku: string; quantity: number }>('select sku, quantity from stock order by sku');
    res.json({ items: rows });
  });

  router.get('/stock/:sku', async (req, res) => {
    const { rows } = await pool.query('select sku, quantity from stock where sku = $1', [req.params.sku]);
    if (rows.length === 0) return void res.status(404).json({ error: `no stock entry for sku ${req.params.sku}` });
    res.json(rows[0]);
  });

  router.post('/stock/:sku/reserve', async (req, res) => {
    const { sku } = req.params;
    const quantity = requestedQuantity(req.body);
    if (quantity === undefined) {
      return void res.status(400).json({ error: `body must be JSON {"quantity": n} with n a whole number from 1 to ${MAX_RESERVATION}` });
    }
    // One conditional UPDATE is its own transaction: it locks the row, re-checks the condition
    // against the latest committed quantity, and decrements only if enough is left. Concurrent
    // reservations queue on the row lock, so stock can never go below zero or be sold twice.
    const reserved = await pool.query<{ quantity: number }>('update stock set quantity = quantity - $2 where sku = $1 and quantity >= $2 returning quantity', [
      sku,
      quantity,
    ]);
    if (reserved.rows[0]) return void res.json({ sku, reserved: quantity, quantity: reserved.rows[0].quantity });

    const current = await pool.query<{ quantity: number }>('select quantity from stock where sku = $1', [sku]);
    if (!current.rows[0]) return void res.status(404).json({ error: `no stock entry for sku ${sku}` });
    res.status(409).json({ error: 'insufficient stock', available: current.rows[0].quantity });
  });

  return router;
}
