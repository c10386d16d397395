// The storefront chain in this process, as in a cluster: inventory and catalog on a real
// PostgreSQL, web in front, each on its own loopback port, with the pod names Kubernetes would
// give them. Every request that reaches inventory is recorded, headers included.
import type { IncomingHttpHeaders } from 'node:http';
import { createApp as createCatalog, migrations as catalogMigrations } from '@ffk/catalog';
import { createApp as createInventory, migrations as inventoryMigrations } from '@ffk/inventory';
import { createLogger, createPool, createUpstream, listen, migrate, type Pool, type RunningServer } from '@ffk/service-kit';
import { startPostgres, type TestPostgres } from '@ffk/test-kit';
import { createApp as createWeb } from '@ffk/web';

export const POD_NAMES = { catalog: 'catalog-5c9d7b6f4-k2x8p', inventory: 'inventory-7f8b9c6d5-q4w7z', web: 'web-6b7c8d9f5-m3n6r' };

export interface ReceivedRequest {
  path: string;
  headers: IncomingHttpHeaders;
}

export interface Services {
  webUrl: string;
  /** What inventory was sent, in order. */
  inventoryRequests: ReceivedRequest[];
  stopCatalog(): Promise<void>;
  stop(): Promise<void>;
}

const silent = (name: string) => createLogger({ name, level: 'silent' });

export async function startServices(options: { upstreamTimeoutMs: number }): Promise<Services> {
  const postgres: TestPostgres = await startPostgres();
  const pools: Pool[] = [];
  const servers: RunningServer[] = [];
  const stop = async () => {
    for (const server of servers.reverse()) await server.close(1_000);
    await Promise.all(pools.map((pool) => pool.end()));
    await postgres.stop();
  };
  try {
    const inventoryPool = createPool(postgres.url, silent('inventory'));
    const catalogPool = createPool(postgres.url, silent('catalog'));
    pools.push(inventoryPool, catalogPool);
    await Promise.all([migrate(inventoryPool, 'inventory', inventoryMigrations), migrate(catalogPool, 'catalog', catalogMigrations)]);

    const inventoryRequests: ReceivedRequest[] = [];
    const inventoryApp = createInventory({ pool: inventoryPool, logger: silent('inventory'), podName: POD_NAMES.inventory });
    const inventory = await listen(
      (req, res) => {
        inventoryRequests.push({ path: req.url ?? '', headers: { ...req.headers } });
        inventoryApp(req, res);
      },
      { port: 0, host: '127.0.0.1' },
    );
    servers.push(inventory);

    const catalog = await listen(
      createCatalog({
        pool: catalogPool,
        logger: silent('catalog'),
        inventory: createUpstream({ name: 'inventory', baseUrl: inventory.url, timeoutMs: 1_000 }),
        podName: POD_NAMES.catalog,
      }),
      { port: 0, host: '127.0.0.1' },
    );
    servers.push(catalog);

    const web = await listen(
      createWeb({ catalogUrl: catalog.url, upstreamTimeoutMs: options.upstreamTimeoutMs, logger: silent('web'), podName: POD_NAMES.web }),
      { port: 0, host: '127.0.0.1' },
    );
    servers.push(web);

    return { webUrl: web.url, inventoryRequests, stopCatalog: async () => void (await catalog.close(0)), stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
