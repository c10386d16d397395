// `npm run dev` for real: the dev entry started the way the root script starts it (node --import
// tsx scripts/dev.ts), on the embedded PGlite database and free ports; then Ctrl-C must leave no
// process behind.
import { join } from 'node:path';
import { defined, descendants, freePort, isAlive, type StartedProcess, startProcess } from '@ffk/test-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../..');

describe('npm run dev', () => {
  let dev: StartedProcess;
  let webUrl: string;

  beforeAll(async () => {
    const [web, catalog, inventory] = [await freePort(), await freePort(), await freePort()];
    const { DATABASE_URL: _external, ...env } = process.env;
    dev = startProcess(process.execPath, ['--import', 'tsx', 'scripts/dev.ts'], {
      cwd: root,
      env: { ...env, WEB_PORT: String(web), CATALOG_PORT: String(catalog), INVENTORY_PORT: String(inventory), FFK_DEV_DB: 'memory', LOG_LEVEL: 'warn' },
    });
    const [, url] = await dev.waitForOutput(/Storefront: (http:\/\/localhost:\d+)/, 90_000);
    webUrl = url;
  }, 120_000);

  afterAll(async () => {
    // Only matters when a test failed half-way: take down whatever is still running.
    const pid = dev?.child.pid;
    const leftovers = pid === undefined ? [] : descendants(pid);
    await dev?.stop();
    for (const pid of leftovers) if (isAlive(pid)) process.kill(pid, 'SIGKILL');
  });

  it('reports each step with its timing and serves the storefront with products and stock', async () => {
    for (const step of ['database', 'inventory', 'catalog', 'web']) expect(dev.stdout()).toMatch(new RegExp(`${step} ready in \\d+\\.\\ds`));
    const page = await (await fetch(webUrl)).text();
    expect(page).toContain('data-testid="product"');
    expect(page).toMatch(/\d+ in stock/);
    expect(page).not.toContain('data-testid="degraded-notice"');
    expect(page).toMatch(/served by: local \(/);
  });

  it('stops every process it started on Ctrl-C', async () => {
    const started = descendants(defined(dev.child.pid, 'the pid of the dev runner'));
    // The dev runner, and per service tsx watch + the app.
    expect(started.length).toBeGreaterThanOrEqual(6);
    // A terminal sends Ctrl-C to the whole foreground group, which here is the dev runner alone
    // (the services run in process groups of their own). Not through tsx's CLI: it SIGKILLs a
    // child that does not acknowledge a relayed signal within 30 ms, which a loaded machine misses.
    dev.child.kill('SIGINT');
    const exit = await dev.exited;
    expect(exit.code).toBe(0);
    expect(exit.stdout).toMatch(/stopped in \d+\.\ds/);
    await expect.poll(() => started.filter(isAlive), { timeout: 5_000 }).toEqual([]);
  });
});
