// Issue 14's "one install, anywhere": the CLI as `npm pack` ships it, installed from the tarball
// into an empty directory outside the repository, against kube-sim with the kit deployed. It runs
// intercept (the storefront shows the local catalog), list, leave and uninstall, and the agent
// runs on the stock Node image with its code from a ConfigMap: no agent image was built.
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DEFAULT_AGENT_IMAGE } from '@ffk/intercept/agent-image';
import type { V1Deployment } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  desiredState,
  type Ffk,
  ffk,
  ffkDone,
  type FfkInstall,
  getObject,
  isLocal,
  type Kit,
  type LocalCatalog,
  localCatalog,
  repoRoot,
  startKit,
  viewStorefront,
  waitForStorefront,
} from '../intercept/kit';

const run = promisify(execFile);

/** A `node` older than the CLI's 22.12 on this machine (PATH, /usr/bin, /usr/local/bin), if there is one. */
function olderNode(): { path: string; version: string } | undefined {
  const dirs = [...(process.env.PATH ?? '').split(':'), '/usr/local/bin', '/usr/bin'];
  for (const path of dirs.filter(Boolean).map((dir) => join(dir, 'node'))) {
    if (!existsSync(path)) continue;
    const version = execFileSync(path, ['-p', 'process.versions.node'], { encoding: 'utf8' }).trim();
    const [major, minor] = version.split('.').map(Number);
    if (major < 22 || (major === 22 && minor < 12)) return { path, version };
  }
  return undefined;
}
const older = olderNode();

/** `npm pack` of packages/cli (its prepack builds the bundle), installed from the tarball into `dir`. */
async function installPacked(dir: string): Promise<{ tarball: string; files: string[]; bin: string }> {
  const { stdout } = await run('npm', ['pack', '--workspace', '@ffk/cli', '--pack-destination', dir, '--json'], { cwd: repoRoot, maxBuffer: 16 * 1024 * 1024 });
  const [packed] = JSON.parse(stdout.slice(stdout.indexOf('['))) as { filename: string; files: { path: string }[] }[];
  const project = join(dir, 'project');
  // No registry involved: the tarball has no dependencies to fetch.
  await run('npm', ['install', '--offline', '--no-audit', '--no-fund', '--prefix', project, join(dir, packed.filename)], { cwd: dir });
  return { tarball: join(dir, packed.filename), files: packed.files.map((f) => f.path).sort(), bin: join(project, 'node_modules/.bin/ffk') };
}

describe('the packed ffk, installed outside the repository', { timeout: 300_000 }, () => {
  let kit: Kit;
  let catalog: LocalCatalog;
  let scratch: string;
  let install: FfkInstall;
  let installed: { tarball: string; files: string[]; bin: string };
  const started: Ffk[] = [];

  beforeAll(async () => {
    scratch = mkdtempSync(join(tmpdir(), 'ffk-packed-'));
    [kit, catalog, installed] = await Promise.all([startKit(), localCatalog(), installPacked(scratch)]);
    install = { bin: installed.bin, cwd: join(scratch, 'project') };
  }, 300_000);

  afterAll(async () => {
    for (const p of started) p.killAll();
    catalog?.remove();
    await kit?.stop();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  it('is the bin, the bundle (its entry and the chunks the commands load) and the README, with no dependencies to install', async () => {
    const chunks = installed.files.filter((file) => file.startsWith('dist/chunks/'));
    expect(chunks.length).toBeGreaterThan(0);
    expect(chunks.filter((file) => !/^dist\/chunks\/[\w-]+\.mjs$/.test(file))).toEqual([]);
    expect(installed.files.filter((file) => !chunks.includes(file))).toEqual(['README.md', 'dist/ffk-cli.mjs', 'dist/ffk.mjs', 'package.json']);
    const manifest = JSON.parse(readFileSync(join(scratch, 'project/node_modules/@ffk/cli/package.json'), 'utf8')) as {
      version: string;
      bin?: unknown;
      dependencies?: unknown;
    };
    expect(manifest.dependencies).toBeUndefined();
    expect(manifest.bin).toEqual({ ffk: 'dist/ffk.mjs' });
    const version = await ffkDone(kit, ['--version'], install);
    expect(version).toMatchObject({ code: 0, output: `ffk ${manifest.version} (node ${process.version})\n` });
    const sim = await ffkDone(kit, ['sim', 'start'], install);
    expect(sim.code).toBe(1);
    expect(sim.output).toMatch(/^ffk: `ffk sim` runs from a clone of the fast-feedback-k8s repository/);
  });

  it.skipIf(!older)(`on an older Node (${older?.version ?? 'none on this machine'}) says in one line which Node it needs`, async () => {
    const refused = await run(older?.path ?? 'node', [installed.bin, 'list']).then(
      () => undefined,
      (error: { code: number; stderr: string }) => error,
    );
    expect(refused?.code).toBe(1);
    expect(refused?.stderr).toBe(
      `ffk needs Node >= 22.12 (this is v${older?.version}): install a newer Node.js (in the fast-feedback-k8s repository, \`npm run ffk -- <args>\` fetches Node 24 for you).\n`,
    );
  });

  it('intercepts the catalog (the storefront shows the local one), lists it with the agent version, leaves and uninstalls exactly', async () => {
    const before = await desiredState(kit, 'deployment', 'catalog');
    catalog.setBanner('Served by the packed ffk');
    const intercept = ffk(kit, ['intercept', 'catalog', '--port', String(catalog.port), '--', ...catalog.command], {}, install);
    started.push(intercept);
    const view = await waitForStorefront(kit, (v) => isLocal(v.servedBy.banner), { timeoutMs: 120_000 });
    expect(view.banner).toBe('Served by the packed ffk');

    // No image was built for the agent: the stock Node image runs the CLI's bundle from the ConfigMap.
    const deployment = await getObject<V1Deployment>(kit, 'deployment', 'catalog');
    const agent = deployment.spec?.template.spec?.containers.find((c) => c.name === 'ffk-agent');
    expect(agent).toMatchObject({ image: DEFAULT_AGENT_IMAGE, command: ['node', '/ffk-agent/agent.mjs'] });
    const configMap = JSON.parse(await kit.kubectl('get', 'configmap', 'ffk-agent-catalog', '-o', 'json')) as {
      data: Record<string, string>;
      metadata: { annotations: Record<string, string> };
    };
    expect(configMap.data['agent.mjs'].length).toBeGreaterThan(10_000);

    const list = await ffkDone(kit, ['list'], install);
    expect(list.code, list.output).toBe(0);
    expect(list.output).toMatch(
      new RegExp(
        `catalog\\s+1/1\\s+${configMap.metadata.annotations['ffk.dev/agent-version'].replace('+', '\\+')} \\(http→3000\\)\\s+until \\S+ \\(.+\\)\\s+global by `,
      ),
    );

    const leave = await ffkDone(kit, ['leave', 'catalog'], install);
    expect(leave.output).toContain('✓ left the intercept of catalog in default');
    expect(await intercept.exited).toBe(0);
    expect(isLocal((await viewStorefront(kit)).servedBy.banner)).toBe(false);

    const uninstall = await ffkDone(kit, ['uninstall', 'catalog'], install);
    expect(uninstall.code, uninstall.output).toBe(0);
    expect(await desiredState(kit, 'deployment', 'catalog')).toEqual(before);
    await expect(kit.kubectl('get', 'configmap', 'ffk-agent-catalog')).rejects.toThrow(/NotFound/);
  });
});
