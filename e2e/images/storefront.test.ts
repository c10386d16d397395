// The storefront from containers only: PostgreSQL (the manifests' image or its stand-in), inventory,
// catalog and web from their images, each on its own loopback port of the host network, wired by
// env as the manifests wire them. Skipped, with the reason, where no engine with BuildKit answers.
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { APP_IMAGES, buildImage, ensurePostgresImage } from '@ffk/images';
import { freePort } from '@ffk/test-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseStorefront } from '../../labs/shared/storefront';
import { runContainer, waitUntilOk, type Container } from './containers';
import { announceSkip, builder, skipReason } from './engine';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const TAG = 'e2e';
const POD_NAMES = { inventory: 'inventory-7f8b9c6d5-q4w7z', catalog: 'catalog-5c9d7b6f4-k2x8p', web: 'web-6b7c8d9f5-m3n6r' };

announceSkip('e2e/images/storefront.test.ts');

describe.skipIf(skipReason !== undefined)('the storefront from the images', () => {
  const containers: Container[] = [];
  let webUrl: string;

  beforeAll(async () => {
    const postgresTag = (await ensurePostgresImage(repoRoot, () => {})).tag;
    for (const app of APP_IMAGES) await buildImage({ repoRoot, dockerfile: app.dockerfile, tag: `${app.image}:${TAG}` });
    const [pgPort, inventoryPort, catalogPort, webPort] = await Promise.all([freePort(), freePort(), freePort(), freePort()]);
    const databaseUrl = `postgres://ffk:ffk-e2e@127.0.0.1:${pgPort}/ffk`;
    // As k8s/base/postgres/deployment.yaml runs it: uid 70, settings as arguments.
    const postgres = await runContainer(builder!, postgresTag, { POSTGRES_USER: 'ffk', POSTGRES_PASSWORD: 'ffk-e2e', POSTGRES_DB: 'ffk' }, ['-c', 'listen_addresses=127.0.0.1', '-c', `port=${pgPort}`, '-c', 'max_connections=50']);
    containers.push(postgres);
    const start = async (name: keyof typeof POD_NAMES, port: number, env: Record<string, string>) => {
      const container = await runContainer(builder!, `ffk/${name}:${TAG}`, { ...env, PORT: String(port), HOST: '127.0.0.1', POD_NAME: POD_NAMES[name] });
      containers.push(container);
      await waitUntilOk(`http://127.0.0.1:${port}/readyz`, container, 60_000);
    };
    await start('inventory', inventoryPort, { DATABASE_URL: databaseUrl });
    await start('catalog', catalogPort, { DATABASE_URL: databaseUrl, INVENTORY_URL: `http://127.0.0.1:${inventoryPort}` });
    await start('web', webPort, { CATALOG_URL: `http://127.0.0.1:${catalogPort}` });
    webUrl = `http://127.0.0.1:${webPort}/`;
  });

  afterAll(async () => {
    for (const container of containers.reverse()) await container.remove();
  });

  it('shows the banner, products with stock, and a "served by" badge naming each pod', async () => {
    const view = parseStorefront(await (await fetch(webUrl)).text());
    expect(view.banner).not.toBe('');
    expect(view.products).toBeGreaterThan(0);
    expect(view.inStock, "products showing a stock count from inventory").toBeGreaterThan(0);
    expect(view.servedBy).toEqual({ banner: POD_NAMES.catalog, products: POD_NAMES.catalog, inventory: POD_NAMES.inventory });
  });
});
