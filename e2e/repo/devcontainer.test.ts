// The devcontainer and every other place that pins a tool version agree with README.md's
// "Tool versions" table, so what the README tells a learner is what they get.
import { defined } from '@ffk/test-kit/defined';
import type { ParseError } from 'jsonc-parser';
import { parse, printParseErrorCode } from 'jsonc-parser';
import { describe, expect, it } from 'vitest';
import { readRepoFile, readRepoYaml, repoFileExists, SERVICES } from './repo-files';
import { readmeToolVersions, readmeVersion } from './tool-versions';

interface DevContainer {
  image: string;
  features: Record<string, unknown>;
  onCreateCommand: string;
  forwardPorts: number[];
  portsAttributes: Record<string, { label?: string }>;
  hostRequirements: { cpus: number; memory: string };
}

/** devcontainer.json is JSON with comments and trailing commas (JSONC). */
function readDevContainer(): DevContainer {
  const errors: ParseError[] = [];
  const text = readRepoFile('.devcontainer/devcontainer.json');
  const value = parse(text, errors, { allowTrailingComma: true }) as DevContainer;
  if (errors.length > 0) {
    const { error, offset } = errors[0];
    const line = text.slice(0, offset).split('\n').length;
    throw new Error(`.devcontainer/devcontainer.json line ${line}: ${printParseErrorCode(error)}`);
  }
  return value;
}

/** `NAME=1.2.3` assignments at the top of the install script. */
function scriptVersion(variable: string): string {
  const match = readRepoFile('.devcontainer/install-tools.sh').match(new RegExp(`^${variable}=(\\S+)$`, 'm'));
  if (!match) throw new Error(`.devcontainer/install-tools.sh does not set ${variable}`);
  return match[1];
}

const minor = (version: string) => Number(version.split('.')[1]);

describe('.devcontainer/devcontainer.json', () => {
  const devcontainer = readDevContainer();

  it("uses the README's devcontainer image, on the README's Node major", () => {
    const [, release] = readmeVersion('Devcontainer image').split(' ');
    const image = `mcr.microsoft.com/devcontainers/${readmeVersion('Devcontainer image').replace(' ', ':')}`;
    expect(devcontainer.image).toBe(image);
    expect(release.split('-')[1], 'Node major in the image tag').toBe(readmeVersion('Node.js').split('.')[0]);
  });

  it('adds Docker-in-Docker at a pinned feature version', () => {
    const feature = defined(
      Object.keys(devcontainer.features).find((id) => id.startsWith('ghcr.io/devcontainers/features/docker-in-docker:')),
      'the docker-in-docker feature',
    );
    expect(feature.split(':').at(-1), 'feature version').toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('installs the tools with the install script when the container is created', () => {
    const script = defined(devcontainer.onCreateCommand.match(/\S*install-tools\.sh/)?.[0], 'an onCreateCommand that runs install-tools.sh');
    expect(repoFileExists(script), `${script} exists`).toBe(true);
    expect(readRepoFile(script), 'install-tools.sh runs npm ci').toMatch(/^\s*npm ci\b/m);
  });

  it('forwards the storefront port that the kind cluster maps, labelled "storefront"', () => {
    const cluster = readRepoYaml<{ nodes: { extraPortMappings?: { hostPort: number }[] }[] }>('k8s/kind/cluster.yaml');
    const hostPort = cluster.nodes.flatMap((node) => node.extraPortMappings ?? [])[0].hostPort;
    expect(devcontainer.forwardPorts).toContain(hostPort);
    expect(devcontainer.portsAttributes[String(hostPort)]?.label).toBe('storefront');
  });

  it('asks for a host with 4 CPUs and 8 GB of memory', () => {
    expect(devcontainer.hostRequirements).toEqual({ cpus: 4, memory: '8gb' });
  });
});

describe('pinned tool versions vs README.md', () => {
  it('the README table states every tool the kit pins', () => {
    expect([...readmeToolVersions().keys()].sort()).toEqual(
      ['Devcontainer image', 'Node.js', 'kubectl', 'kind', 'Kubernetes (kind node)', 'Skaffold', 'PostgreSQL'].sort(),
    );
  });

  it("install-tools.sh installs the README's kubectl, kind and Skaffold", () => {
    expect(scriptVersion('KUBECTL_VERSION'), 'kubectl').toBe(readmeVersion('kubectl'));
    expect(scriptVersion('KIND_VERSION'), 'kind').toBe(readmeVersion('kind'));
    expect(scriptVersion('SKAFFOLD_VERSION'), 'Skaffold').toBe(readmeVersion('Skaffold'));
  });

  it('kind is 0.31 or newer (older releases cannot create clusters in Codespaces with recent Docker)', () => {
    const [major, minorVersion] = readmeVersion('kind').split('.').map(Number);
    expect(major > 0 || minorVersion >= 31, `kind ${readmeVersion('kind')}`).toBe(true);
  });

  it("the kind node runs the README's Kubernetes, within kubectl's one-minor version skew", () => {
    const cluster = readRepoYaml<{ nodes: { image?: string }[] }>('k8s/kind/cluster.yaml');
    for (const node of cluster.nodes)
      expect(node.image, 'kind node image').toMatch(
        new RegExp(`^kindest/node:v${readmeVersion('Kubernetes (kind node)').replaceAll('.', '\\.')}@sha256:[0-9a-f]{64}$`),
      );
    expect(Math.abs(minor(readmeVersion('kubectl')) - minor(readmeVersion('Kubernetes (kind node)'))), 'kubectl vs cluster minor versions').toBeLessThanOrEqual(
      1,
    );
  });

  it("the images and CI use the README's Node.js", () => {
    for (const service of SERVICES) {
      const bases = readRepoFile(`apps/${service}/Dockerfile`).match(/^ARG NODE_IMAGE=node:\S+/gm) ?? [];
      expect(bases, `apps/${service}/Dockerfile`).toEqual([`ARG NODE_IMAGE=node:${readmeVersion('Node.js')}-bookworm-slim`]);
    }
    expect(readRepoFile('.github/workflows/ci.yml')).toMatch(new RegExp(`node-version: ${readmeVersion('Node.js').replaceAll('.', '\\.')}\\n`));
  });

  it("PostgreSQL runs the README's version", () => {
    expect(readRepoFile('k8s/base/postgres/deployment.yaml')).toMatch(new RegExp(`image: postgres:${readmeVersion('PostgreSQL').replaceAll('.', '\\.')}-`));
  });
});
