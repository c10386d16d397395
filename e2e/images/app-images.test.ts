// Each app image, built through the kit's one build path (@ffk/images, as labs and Skaffold do)
// and run for real: non-root, probes, a graceful `docker stop`, nothing in it but the bundle, and
// its size against the budget. Skipped, with the reason, where no engine with BuildKit answers.
import { createServer, type Server } from 'node:http';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ADDED_BYTES_BUDGET, APP_IMAGES, buildImage, type AppImage } from '@ffk/images';
import { freePort, startPostgres, type TestPostgres } from '@ffk/test-kit';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { imageBytes, imageFiles, runContainer, waitUntilOk, type Container } from './containers';
import { announceSkip, builder, requireDocker, skipReason } from './engine';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const BASE_IMAGE = 'node:24.21.0-bookworm-slim';
/** Kubernetes' default is 30 s; the services finish in-flight requests within 10 s (service-kit). */
const GRACE_SECONDS = 10;
const TAG = 'e2e';

announceSkip('e2e/images/app-images.test.ts');

let baseFiles: Promise<Set<string>> | undefined;

it.runIf(skipReason && requireDocker)('has a Docker engine with BuildKit, as REQUIRE_DOCKER=1 demands', () => {
  expect.fail(`REQUIRE_DOCKER=1 but ${skipReason}`);
});

/** A request the test can hold in flight: it starts, and completes only once released. */
interface InFlight {
  path: string;
  /** Makes the next request to `path` wait; resolves with the function that lets it finish. */
  hold(): Promise<() => Promise<void>>;
}

/** An app's environment and a way to hold one of its requests, for the app under test. */
interface Harness {
  env: Record<string, string>;
  inFlight: InFlight;
  stop(): Promise<void>;
}

/** Holds a table's queries behind an exclusive lock taken in an open transaction. */
function lockedTable(url: string, table: string, path: string): InFlight {
  return {
    path,
    hold: async () => {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      await client.query('begin');
      await client.query(`lock table ${table} in access exclusive mode`);
      return async () => {
        await client.query('commit');
        await client.end();
      };
    },
  };
}

/** A stand-in upstream on loopback that answers `answers` by path, holding /held requests while asked to. */
async function fakeUpstream(answers: Record<string, unknown>): Promise<{ url: string; hold: InFlight['hold']; server: Server }> {
  let gate: Promise<void> | undefined;
  const server = createServer(async (req, res) => {
    if (gate) await gate;
    const body = answers[req.url ?? ''];
    res.writeHead(body ? 200 : 404, { 'content-type': 'application/json', 'x-ffk-served-by': 'fake-upstream' }).end(JSON.stringify(body ?? { error: 'not found' }));
  });
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    server,
    hold: async () => {
      let release!: () => void;
      gate = new Promise((resolve) => (release = resolve));
      return async () => {
        gate = undefined;
        release();
      };
    },
  };
}

async function harness(app: AppImage): Promise<Harness> {
  if (app.name === 'web') {
    const catalog = await fakeUpstream({ '/banner': { text: 'Hello', color: 'teal' }, '/products': { products: [], inventory: { ok: true, servedBy: 'fake' } } });
    return { env: { CATALOG_URL: catalog.url }, inFlight: { path: '/', hold: catalog.hold }, stop: async () => void catalog.server.close() };
  }
  const postgres: TestPostgres = await startPostgres();
  if (app.name === 'inventory') return { env: { DATABASE_URL: postgres.url }, inFlight: lockedTable(postgres.url, 'stock', '/stock'), stop: () => postgres.stop() };
  const inventory = await fakeUpstream({ '/stock': { items: [] } });
  return {
    env: { DATABASE_URL: postgres.url, INVENTORY_URL: inventory.url },
    inFlight: lockedTable(postgres.url, 'products', '/products'),
    stop: async () => {
      inventory.server.close();
      await postgres.stop();
    },
  };
}

describe.skipIf(skipReason !== undefined).each(APP_IMAGES)('image $image', (app) => {
  const tag = `${app.image}:${TAG}`;
  let world: Harness;
  let container: Container;
  let url: string;

  beforeAll(async () => {
    const built = await buildImage({ repoRoot, dockerfile: app.dockerfile, tag });
    console.log(`${tag}: built in ${(built.ms / 1000).toFixed(1)} s (${built.steps.ran} steps ran, ${built.steps.cached} cached)`);
    world = await harness(app);
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    container = await runContainer(builder!, tag, { ...world.env, PORT: String(port), HOST: '127.0.0.1', POD_NAME: `${app.name}-e2e` });
    await waitUntilOk(`${url}/readyz`, container);
  });

  afterAll(async () => {
    await container?.remove();
    await world?.stop();
  });

  it('runs as a non-root user (uid 1000)', async () => {
    expect((await container.exec(['id', '-u'])).trim()).toBe('1000');
    expect((await container.exec(['id', '-g'])).trim()).toBe('1000');
  });

  it('answers /healthz and /readyz', async () => {
    for (const [probe, status] of [['/healthz', 'ok'], ['/readyz', 'ready']]) {
      const response = await fetch(`${url}${probe}`);
      expect(response.status, `${probe}: ${await response.clone().text()}`).toBe(200);
      expect(((await response.json()) as { status: string }).status).toBe(status);
    }
  });

  it(`holds only its bundle and package.json over the base image, within ${ADDED_BYTES_BUDGET / 2 ** 20} MiB`, async () => {
    const [base, files] = await Promise.all([(baseFiles ??= imageFiles(builder!, BASE_IMAGE)), imageFiles(builder!, tag)]);
    const added = [...files].filter((path) => !base.has(path)).sort();
    // No tests, sources, node_modules (so no dev dependencies), .git or other packages' code.
    expect(added).toEqual(['app', 'app/dist', 'app/dist/main.js', 'app/package.json']);
    const [imageSize, baseSize] = await Promise.all([imageBytes(builder!, tag), imageBytes(builder!, BASE_IMAGE)]);
    console.log(`${tag}: ${(imageSize / 1e6).toFixed(1)} MB, of which ${((imageSize - baseSize) / 1e6).toFixed(2)} MB over ${BASE_IMAGE} (budget ${(ADDED_BYTES_BUDGET / 1e6).toFixed(2)} MB)`);
    expect(imageSize - baseSize).toBeLessThanOrEqual(ADDED_BYTES_BUDGET);
  });

  // Last: it stops the container.
  it(`docker stop finishes the in-flight request and exits 0 within ${GRACE_SECONDS} s`, async () => {
    const release = await world.inFlight.hold();
    const request = fetch(`${url}${world.inFlight.path}`).then(async (response) => ({ status: response.status, body: await response.text() }));
    await new Promise((resolve) => setTimeout(resolve, 300)); // the request reaches the app and waits
    const stopped = container.stop(GRACE_SECONDS);
    await new Promise((resolve) => setTimeout(resolve, 500)); // SIGTERM has arrived while it waits
    await release();
    const [answer, stop] = await Promise.all([request, stopped]);
    expect(answer.status, answer.body).toBe(200);
    expect(stop.exitCode, await container.logs()).toBe(0);
    expect(stop.ms).toBeLessThan(GRACE_SECONDS * 1000);
    expect(await container.logs()).toMatch(/shutting down: no new connections, finishing in-flight requests/);
  });
});
