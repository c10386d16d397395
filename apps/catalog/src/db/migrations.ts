import type { Migration } from '@ffk/service-kit';

/** The products on sale. Each SKU has a stock row in inventory's seed (apps/inventory/src/db/migrations.ts). */
export const SEED_PRODUCTS: ReadonlyArray<{ sku: string; name: string; description: string; priceCents: number }> = [
  { sku: 'KTL-GOOSE-1L', name: 'Gooseneck Pour-Over Kettle', description: 'One litre of brushed steel with a slow, steady spout.', priceCents: 4900 },
  { sku: 'GRD-BURR-HND', name: 'Hand Burr Grinder', description: 'Conical steel burrs, 40 click settings from espresso to French press.', priceCents: 8900 },
  { sku: 'DRP-CERA-02', name: 'Ceramic Dripper No. 2', description: 'Spiral ribs for an even draw-down; fits most mugs and carafes.', priceCents: 2400 },
  { sku: 'MUG-ENML-350', name: 'Enamel Camp Mug', description: '350 ml, speckled blue, survives campfires and office kitchens.', priceCents: 1400 },
  { sku: 'BNS-ETH-250', name: 'Ethiopia Yirgacheffe, 250 g', description: 'Washed, light roast: bergamot, jasmine and stone fruit.', priceCents: 1650 },
  { sku: 'SCL-BREW-TMR', name: 'Brew Scale with Timer', description: '0.1 g resolution and a built-in timer for repeatable cups.', priceCents: 3900 },
];

export const migrations: Migration[] = [
  {
    id: '001-create-products',
    up: (client) =>
      client.query(`create table if not exists products (
        id serial primary key,
        sku text not null unique,
        name text not null,
        description text not null,
        price_cents integer not null check (price_cents >= 0))`),
  },
  {
    id: '002-seed-products',
    up: (client) =>
      client.query(
        `insert into products (sku, name, description, price_cents)
         select * from unnest($1::text[], $2::text[], $3::text[], $4::int[]) on conflict (sku) do nothing`,
        [
          SEED_PRODUCTS.map((product) => product.sku),
          SEED_PRODUCTS.map((product) => product.name),
          SEED_PRODUCTS.map((product) => product.description),
          SEED_PRODUCTS.map((product) => product.priceCents),
        ],
      ),
  },
];
