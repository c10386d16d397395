import type { Migration } from '@ffk/service-kit';

/**
 * Starting stock. The SKUs are the catalog's (apps/catalog/src/db/migrations.ts): each product
 * there has a row here. One is sold out on purpose, so the storefront shows that case too.
 */
export const SEED_STOCK: ReadonlyArray<{ sku: string; quantity: number }> = [
  { sku: 'KTL-GOOSE-1L', quantity: 12 },
  { sku: 'GRD-BURR-HND', quantity: 7 },
  { sku: 'DRP-CERA-02', quantity: 30 },
  { sku: 'MUG-ENML-350', quantity: 48 },
  { sku: 'BNS-ETH-250', quantity: 20 },
  { sku: 'SCL-BREW-TMR', quantity: 0 },
];

export const migrations: Migration[] = [
  {
    id: '001-create-stock',
    // The check constraint is the last line of defence: no code path can make stock negative.
    up: (client) => client.query('create table if not exists stock (sku text primary key, quantity integer not null check (quantity >= 0))'),
  },
  {
    id: '002-seed-stock',
    up: (client) =>
      client.query('insert into stock (sku, quantity) select * from unnest($1::text[], $2::int[]) on conflict (sku) do nothing', [
        SEED_STOCK.map((row) => row.sku),
        SEED_STOCK.map((row) => row.quantity),
      ]),
  },
];
