// The same intercept flow on a real Kubernetes (k3s in a container, @testcontainers/k3s), with the
// kit's kind overlay and the images built from the repository's Dockerfiles (through @ffk/images,
// as the labs build them), imported into the node as `kind load` would; no agent image is built (the
// ffk-agent sidecar runs on the apps' Node base). It needs a Docker engine with BuildKit and the
// rancher/k3s image (from a registry, or already on the engine): without either it is skipped and
// says why; REQUIRE_DOCKER=1 (devcontainer, users' CI) makes that a failure.
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { buildImage, ensurePostgresImage, runCommand } from '@ffk/images';
import { DEFAULT_AGENT_IMAGE } from '@ffk/intercept/agent-image';
import { K3sContainer, type StartedK3sContainer } from '@testcontainers/k3s';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { skipReason as noEngineReason, testBuilder } from '../images/engine';
import {
  deployKit,
  desiredState,
  type Ffk,
  ffk,
  ffkDone,
  isLocal,
  type Kit,
  type LocalCatalog,
  localCatalog,
  repoRoot,
  viewStorefront,
  waitForStorefront,
} from './kit';

const run = promisify(execFile);
const K3S_IMAGE = 'rancher/k3s:v1.36.1-k3s1'; // the Kubernetes of the kit's kind node (k8s/kind/cluster.yaml), which kubectl 1.36 matches
const NODE_PORT = 30080; // the storefront's NodePort in k8s/overlays/kind
const IMAGES = [
  { tag: 'ffk/web:0.1.0', dockerfile: 'apps/web/Dockerfile' },
  { tag: 'ffk/catalog:0.1.0', dockerfile: 'apps/catalog/Dockerfile' },
  { tag: 'ffk/inventory:0.1.0', dockerfile: 'apps/inventory/Dockerfile' },
];
// The apps' base, present once they are built: the ffk-agent sidecar runs on it (its code comes from ffk).
const NODE_IMAGE = DEFAULT_AGENT_IMAGE;

/** Why the k3s node image cannot be had (no registry and not on the engine), or undefined when it is there. */
async function noK3sReason(): Promise<string | undefined> {
  if ((await runCommand(testBuilder().client, ['image', 'inspect', K3S_IMAGE])).code === 0) return undefined;
  const pull = await runCommand(testBuilder().client, ['pull', K3S_IMAGE]);
  return pull.code === 0 ? undefined : `${K3S_IMAGE} cannot be pulled (${pull.stderr.trim().split('\n').at(-1)})`;
}

const skipReason = noEngineReason ?? (await noK3sReason());
if (skipReason && process.env.REQUIRE_DOCKER !== '1')
  console.log(`e2e/intercept/k3s.test.ts skipped: ${skipReason}; it runs where Docker and a registry do (REQUIRE_DOCKER=1 makes this a failure)`);

describe('ffk intercept catalog on k3s (a real cluster in Docker)', { timeout: 600_000 }, () => {
  it.runIf(skipReason && process.env.REQUIRE_DOCKER === '1')('has a Docker engine, as REQUIRE_DOCKER=1 demands', () => {
    expect.fail(`REQUIRE_DOCKER=1 but ${skipReason}: start Docker (or Docker-in-Docker in the devcontainer) where a registry answers`);
  });

  describe.skipIf(skipReason !== undefined)('with Docker', () => {
    let k3s: StartedK3sContainer | undefined;
    let dir: string;
    let kit: Kit;
    let catalog: LocalCatalog;
    const started: Ffk[] = [];

    /** `docker save … | docker exec -i <node> ctr images import -`: what `kind load docker-image` does for kind. */
    const importImages = async (container: StartedK3sContainer, tags: string[]) => {
      const save = spawn('docker', ['save', ...tags], { stdio: ['ignore', 'pipe', 'inherit'] });
      const load = spawn('docker', ['exec', '-i', container.getId(), 'ctr', '-n', 'k8s.io', 'images', 'import', '-'], { stdio: ['pipe', 'ignore', 'inherit'] });
      save.stdout.pipe(load.stdin);
      const codes = await Promise.all([save, load].map((p) => new Promise<number | null>((resolve) => p.once('exit', resolve))));
      if (codes.some((c) => c !== 0)) throw new Error(`importing ${tags.join(', ')} into k3s failed (docker save/ctr import exited ${codes.join('/')})`);
    };

    beforeAll(async () => {
      const built = performance.now();
      for (const image of IMAGES) await buildImage({ repoRoot, dockerfile: image.dockerfile, tag: image.tag });
      const postgresImage = (await ensurePostgresImage(repoRoot, () => {})).tag;
      console.log(`k3s: images built in ${Math.round((performance.now() - built) / 1000)} s`);
      k3s = await new K3sContainer(K3S_IMAGE).withExposedPorts(NODE_PORT).start();
      await importImages(k3s, [...IMAGES.map((i) => i.tag), NODE_IMAGE, postgresImage]);
      dir = mkdtempSync(join(tmpdir(), 'ffk-e2e-k3s-'));
      const kubeconfig = join(dir, 'kubeconfig');
      writeFileSync(kubeconfig, k3s.getKubeConfig(), { mode: 0o600 });
      const kubectl = async (...args: string[]) =>
        (await run('kubectl', ['--kubeconfig', kubeconfig, ...args], { cwd: repoRoot, maxBuffer: 16 * 1024 * 1024 })).stdout;
      kit = {
        kubeconfig,
        kubectl,
        storefront: `http://${k3s.getHost()}:${k3s.getMappedPort(NODE_PORT)}/`,
        stateDir: dir,
        stop: async () => void (await k3s?.stop()),
      };
      await deployKit(kubectl, 'k8s/overlays/kind');
      catalog = await localCatalog();
    });

    afterAll(async () => {
      for (const p of started) p.killAll();
      catalog?.remove();
      await kit?.stop();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    // The test's own throwaway cluster; with a remote DOCKER_HOST its server is not on loopback.
    const intercept = (...extra: string[]) => {
      const p = ffk(kit, ['intercept', 'catalog', '--port', String(catalog.port), '--allow-remote-context', ...extra, '--', ...catalog.command]);
      started.push(p);
      return p;
    };

    it('routes the storefront to the local catalog, shows a banner edit, gives the traffic back on Ctrl-C and uninstalls exactly', async () => {
      const before = { deployment: await desiredState(kit, 'deployment', 'catalog'), service: await desiredState(kit, 'service', 'catalog') };
      const cluster = await viewStorefront(kit);
      catalog.setBanner('Served from my laptop, through k3s');
      const p = intercept();
      const local = await waitForStorefront(kit, (v) => isLocal(v.servedBy.banner), { timeoutMs: 180_000 });
      expect(local.banner).toBe('Served from my laptop, through k3s');
      // The local catalog reads the cluster's PostgreSQL and inventory through the agent.
      expect([local.products, local.inStock]).toEqual([cluster.products, cluster.inStock]);
      expect(local.servedBy.inventory).toBe(cluster.servedBy.inventory);

      catalog.setBanner('Edited on k3s');
      await waitForStorefront(kit, (v) => v.banner === 'Edited on k3s', { timeoutMs: 15_000 });

      p.child.kill('SIGINT');
      expect(await p.exited).toBe(0);
      expect(isLocal((await viewStorefront(kit)).servedBy.banner)).toBe(false);
      const uninstall = await ffkDone(kit, ['uninstall', 'catalog', '--allow-remote-context']);
      expect(uninstall.code, uninstall.output).toBe(0);
      expect(await desiredState(kit, 'deployment', 'catalog')).toEqual(before.deployment);
      expect(await desiredState(kit, 'service', 'catalog')).toEqual(before.service);
    });

    it('gives the traffic back to the cluster within 2 s of a SIGKILL of ffk', async () => {
      const p = intercept();
      await waitForStorefront(kit, (v) => isLocal(v.servedBy.banner), { timeoutMs: 180_000 });
      p.child.kill('SIGKILL');
      await waitForStorefront(kit, (v) => v.servedBy.banner !== null && !isLocal(v.servedBy.banner), { timeoutMs: 2000 });
      p.killAll();
      expect((await ffkDone(kit, ['uninstall', 'catalog', '--allow-remote-context'])).code).toBe(0);
    });
  });
});
