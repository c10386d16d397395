// The images' structure, read from the Dockerfiles (no container engine here to build them),
// and how skaffold.yaml uses them.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_AGENT_IMAGE } from '@ffk/intercept/agent-image';
import { defined } from '@ffk/test-kit/defined';
import { afterAll, describe, expect, it } from 'vitest';
import { effective, isRootUser, parseStages, unpinnedReason } from './dockerfile';
import type { Service } from './repo-files';
import { execFileAsync, readRepoFile, readRepoYaml, repoFileExists, repoPath, SERVICES } from './repo-files';

const PORTS: Record<Service, number> = { web: 8080, catalog: 3000, inventory: 3001 };

const dockerfile = (service: Service) => `apps/${service}/Dockerfile`;
const stagesOf = (service: Service) => parseStages(readRepoFile(dockerfile(service)));

describe.each(SERVICES)('apps/%s/Dockerfile', (service) => {
  const stages = stagesOf(service);
  const stageNames = new Set(stages.map((stage) => stage.name));
  const finalStage = defined(stages.at(-1), `a stage in ${dockerfile(service)}`);
  const devStage = stages.find((stage) => stage.name === 'dev');

  it('builds FROM pinned images only, on a Node base', () => {
    const images = stages.map((stage) => stage.from).filter((from) => !stageNames.has(from));
    expect(images.map(unpinnedReason).filter(Boolean), `${dockerfile(service)}: unpinned base images`).toEqual([]);
    // Which Node version exactly is held to README.md by devcontainer.test.ts.
    expect(
      images.some((image) => image.startsWith('node:')),
      `${dockerfile(service)} has no node: base image`,
    ).toBe(true);
  });

  it("builds on the very image the ffk-agent sidecar runs on (so a node that has the apps has the agent's image too)", () => {
    expect(stages.map((stage) => stage.from)).toContain(DEFAULT_AGENT_IMAGE);
  });

  it('prunes the build context to this service with turbo prune --docker first', () => {
    const runs = stages.flatMap((stage) => stage.instructions).filter((instruction) => instruction.keyword === 'RUN');
    expect(
      runs.some((run) => run.args.includes(`turbo prune @ffk/${service} --docker`)),
      `${dockerfile(service)}: no "turbo prune @ffk/${service} --docker" step`,
    ).toBe(true);
    // The same turbo as the repository's, so the image prunes the way `npx turbo prune` does here.
    const lockedTurbo = (JSON.parse(readRepoFile('package-lock.json')) as { packages: Record<string, { version: string }> }).packages['node_modules/turbo']
      .version;
    expect(runs.map((run) => run.args.match(/turbo@(\S+)/)?.[1]).find(Boolean), `${dockerfile(service)}: turbo version vs package-lock.json`).toBe(lockedTurbo);
  });

  it('runs the bundled dist/main.js as a non-root user in its default (last) target', () => {
    expect(isRootUser(effective(stages, finalStage, 'USER')), `${dockerfile(service)}: last stage "${finalStage.name}" runs as root`).toBe(false);
    expect(effective(stages, finalStage, 'CMD'), `${dockerfile(service)}: last stage's CMD`).toBe('["node", "dist/main.js"]');
    expect(effective(stages, finalStage, 'EXPOSE'), `${dockerfile(service)}: EXPOSE vs the contract's port`).toBe(String(PORTS[service]));
  });

  it('has a non-root dev target that runs tsx watch on the sources', () => {
    const dev = defined(devStage, `${dockerfile(service)}: a stage named "dev"`);
    expect(isRootUser(effective(stages, dev, 'USER')), `${dockerfile(service)}: dev stage runs as root`).toBe(false);
    expect(effective(stages, dev, 'CMD'), `${dockerfile(service)}: dev stage's CMD`).toMatch(/tsx", "watch".*"src\/main\.ts"\]$/);
    expect(effective(stages, dev, 'WORKDIR'), `${dockerfile(service)}: dev stage's WORKDIR`).toBe(`/app/apps/${service}`);
  });

  it('is the shared template with only the service name and port filled in', () => {
    const asTemplate = (of: Service) => readRepoFile(dockerfile(of)).replaceAll(of, '<service>').replaceAll(String(PORTS[of]), '<port>');
    expect(asTemplate(service), `${dockerfile(service)} drifted from apps/web/Dockerfile`).toBe(asTemplate('web'));
  });
});

describe('build contexts', () => {
  const work = mkdtempSync(join(tmpdir(), 'ffk-prune-'));
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('the root .dockerignore keeps node_modules, dist and .git out', () => {
    const patterns = readRepoFile('.dockerignore')
      .split('\n')
      .map((line) => line.trim());
    for (const required of ['.git', '**/node_modules', '**/dist']) expect(patterns, `.dockerignore lacks ${required}`).toContain(required);
  });

  // Each Dockerfile.dockerignore re-includes the workspace folders its service needs. If it missed
  // one, the image build would fail; if it kept an extra one, `skaffold dev` would rebuild the
  // image for edits that cannot change it.
  it.each(SERVICES)('apps/%s/Dockerfile.dockerignore re-includes exactly the workspaces turbo prune keeps', async (service) => {
    const out = join(work, service);
    await execFileAsync(repoPath('node_modules/.bin/turbo'), ['prune', `@ffk/${service}`, '--docker', '--out-dir', out], {
      cwd: repoPath('.'),
      env: { ...process.env, TURBO_TELEMETRY_DISABLED: '1' },
    });
    const kept = ['apps', 'packages'].flatMap((group) => readdirSync(join(out, 'json', group)).map((name) => `${group}/${name}`)).sort();
    const ignoreFile = `apps/${service}/Dockerfile.dockerignore`;
    const reincluded = readRepoFile(ignoreFile)
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => /^!(apps|packages)\//.test(line))
      .map((line) => line.slice(1))
      .sort();
    expect(reincluded, `${ignoreFile}: its "!" folders must be what turbo prune keeps for @ffk/${service} (add or drop the difference)`).toEqual(kept);
  });
});

interface SkaffoldArtifact {
  image: string;
  context?: string;
  custom?: { buildCommand?: string; dependencies?: { dockerfile?: { path?: string } } };
  sync?: { manual?: { src: string; dest: string; strip?: string }[] };
}
interface SkaffoldConfig {
  apiVersion: string;
  build: { local?: { push?: boolean }; artifacts: SkaffoldArtifact[] };
  manifests: { kustomize: { paths: string[] } };
  deploy: { kubeContext?: string; kubectl?: object };
  profiles: { name: string; activation?: { command?: string }[]; patches: { op: string; path: string; value: unknown }[] }[];
}

/** Applies a profile's JSON patches (the add/replace ones Skaffold profiles use) to a copy of the config. */
function withProfile(config: SkaffoldConfig, name: string): SkaffoldConfig {
  const result = structuredClone(config);
  const profile = config.profiles.find((candidate) => candidate.name === name);
  if (!profile) throw new Error(`skaffold.yaml has no "${name}" profile`);
  for (const patch of profile.patches) {
    if (patch.op !== 'add' && patch.op !== 'replace') throw new Error(`skaffold.yaml: unsupported patch op ${patch.op}`);
    const keys = patch.path.split('/').slice(1);
    const parent = keys
      .slice(0, -1)
      .reduce<Record<string, unknown>>((node, key) => node[key] as Record<string, unknown>, result as unknown as Record<string, unknown>);
    if (parent === undefined) throw new Error(`skaffold.yaml: patch path ${patch.path} does not exist`);
    const key = keys.at(-1);
    if (key === undefined) throw new Error(`skaffold.yaml: patch path ${patch.path} names no field`);
    parent[key] = patch.value;
  }
  return result;
}

describe('skaffold.yaml', () => {
  const config = readRepoYaml<SkaffoldConfig>('skaffold.yaml');
  const dev = withProfile(config, 'dev');

  it("builds the three images locally from their Dockerfiles through the kit's build path, with the repository root as context, never pushing", () => {
    expect(config.apiVersion).toMatch(/^skaffold\/v4beta\d+$/);
    expect(config.build.local?.push, 'build.local.push must be false so kind loads the images').toBe(false);
    expect(config.build.artifacts.map((artifact) => artifact.image).sort()).toEqual(SERVICES.map((service) => `ffk/${service}`).sort());
    for (const artifact of config.build.artifacts) {
      const service = artifact.image.replace('ffk/', '') as Service;
      expect(artifact.context ?? '.', `${artifact.image}: build context`).toBe('.');
      // The one build path labs 1 and 2 use (@ffk/images): a BuildKit client and the host's CA for npm.
      expect(artifact.custom?.buildCommand, `${artifact.image}: build command`).toBe('npm run -s images -- skaffold');
      expect((JSON.parse(readRepoFile('package.json')) as { scripts: Record<string, string> }).scripts.images, 'the root "images" script').toMatch(
        /packages\/images\/src\/cli\.ts$/,
      );
      expect(artifact.custom?.dependencies?.dockerfile?.path, `${artifact.image}: dockerfile`).toBe(dockerfile(service));
      expect(repoFileExists(dockerfile(service)), `${artifact.image}: ${dockerfile(service)} does not exist`).toBe(true);
    }
  });

  it('deploys the kind overlay with kustomize, to the kind-ffk context only', () => {
    expect(config.manifests.kustomize.paths).toEqual(['k8s/overlays/kind']);
    expect(config.deploy.kubeContext).toBe('kind-ffk');
    for (const path of [...config.manifests.kustomize.paths, ...dev.manifests.kustomize.paths]) {
      expect(repoFileExists(`${path}/kustomization.yaml`), `${path}/kustomization.yaml does not exist`).toBe(true);
    }
  });

  it('switches `skaffold dev` to the dev targets, with catalog sources synced into the directory tsx watches', () => {
    expect(config.profiles.find((profile) => profile.name === 'dev')?.activation).toContainEqual({ command: 'dev' });
    for (const artifact of dev.build.artifacts) {
      expect(artifact.custom?.buildCommand, `${artifact.image}: build command under the dev profile`).toBe('npm run -s images -- skaffold --target dev');
      const service = artifact.image.replace('ffk/', '') as Service;
      expect(
        stagesOf(service).map((stage) => stage.name),
        `${dockerfile(service)} has no "dev" stage for the dev profile`,
      ).toContain('dev');
    }
    const catalog = defined(
      dev.build.artifacts.find((artifact) => artifact.image === 'ffk/catalog'),
      'the ffk/catalog artifact of the dev profile',
    );
    const rule = defined(
      catalog.sync?.manual?.find((candidate) => candidate.src === 'apps/catalog/src/**'),
      'dev profile: a manual sync rule for apps/catalog/src/**',
    );
    // The synced files land at dest + (src path minus strip); they must be the dev target's sources.
    const landsIn = `${rule.dest.replace(/\/$/, '')}/${'apps/catalog/src'.replace(rule.strip ?? '', '')}`;
    const devStage = defined(
      stagesOf('catalog').find((stage) => stage.name === 'dev'),
      'the dev stage of apps/catalog/Dockerfile',
    );
    expect(landsIn, "synced catalog sources vs the dev target's src folder").toBe(`${effective(stagesOf('catalog'), devStage, 'WORKDIR')}/src`);
    expect(
      devStage.instructions.some((instruction) => instruction.keyword === 'RUN' && instruction.args.includes(`chown -R 1000:1000 ${landsIn}`)),
      `the dev target must make ${landsIn} writable for the sync`,
    ).toBe(true);
    expect(
      config.build.artifacts.some((artifact) => artifact.sync),
      'sync belongs in the dev profile only: the production image runs the bundle, not the sources',
    ).toBe(false);
  });
});
