// `npm run doctor`: is this machine ready for the labs, and if not, the exact fix for each piece.
import { type EngineProbe, findBuilder } from '@ffk/images';
import { simulatorHoldingPort, stopSimulatorAdvice } from '@ffk/process-kit';
import type { Shell } from '../shell/shell';
import { atLeast, MIN_KIND, MIN_NODE, probeDockerEngine, probeKind, probeKubectl, probeSkaffold } from './probes';
import { availableMemoryBytes, portFree } from './system';

export type Status = 'ok' | 'warn' | 'fail';

export interface DoctorCheck {
  id: string;
  title: string;
  status: Status;
  detail: string;
  fix?: string;
  /** What breaks without it: every lab, the kind cluster only, or one lab. */
  neededFor: 'everything' | 'kind' | 'lab 5 (Skaffold)';
}

export type Mode = 'kind' | 'offline' | 'blocked';

export interface DoctorReport {
  ok: boolean;
  mode: Mode;
  checks: DoctorCheck[];
  /** What keeps the labs off kind (e.g. "no kind"), and what offline mode does not show. */
  offline?: { command: string; missing: string[]; notShown: string[] };
}

export interface DoctorOptions {
  $: Shell;
  /** The checkout, whose leftover simulator may hold a port. */
  repoRoot?: string;
  ports?: number[];
  nodeVersion?: string;
  memoryBytes?: number;
  /** Which docker client builds with BuildKit (@ffk/images' probe unless a test passes its own). */
  findBuilder?: () => Promise<EngineProbe>;
}

const GiB = 1024 ** 3;

/** The kit's installer fetches the versions the README pins, checksum-verified (Linux binaries). */
const installFix = (tool: 'kind' | 'kubectl' | 'skaffold') =>
  process.platform === 'linux' ? `bash .devcontainer/install-tools.sh ${tool}   (the version this kit pins, checksum-verified)` : `brew install ${tool}`;

export const OFFLINE_NOT_SHOWN = [
  'no container images are built or loaded: pods run the services from source as local processes',
  'no container runtime, node or cluster network: Services and port-forwards are simulated',
  'the Skaffold lab (5) is skipped, and rebuild+redeploy timings are not those of a real cluster',
];

export async function runDoctor(options: DoctorOptions): Promise<DoctorReport> {
  const { $ } = options;
  const [docker, kind, kubectl, skaffold] = await Promise.all([probeDockerEngine($), probeKind($), probeKubectl($), probeSkaffold($)]);
  const checks: DoctorCheck[] = [];

  checks.push(
    docker.found
      ? { id: 'docker', title: 'Docker engine', status: 'ok', detail: `engine ${docker.version}`, neededFor: 'kind' }
      : {
          id: 'docker',
          title: 'Docker engine',
          status: 'fail',
          detail: docker.problem,
          fix: docker.client
            ? 'start the engine: `sudo service docker start` (Linux, devcontainer) or start Docker Desktop; `docker info` must then show a Server section'
            : 'open this repository in its devcontainer or a GitHub Codespace (Docker-in-Docker is set up there), or install Docker Engine: https://docs.docker.com/engine/install/',
          neededFor: 'kind',
        },
  );
  // The Dockerfiles need BuildKit (RUN --mount); an engine alone does not build them.
  const buildkit: EngineProbe = docker.found
    ? await (options.findBuilder ?? findBuilder)()
    : { ok: false, engine: false, problem: 'needs a Docker engine first', fix: '' };
  checks.push(
    buildkit.ok
      ? {
          id: 'buildkit',
          title: 'BuildKit',
          status: 'ok',
          detail: `${buildkit.builder.client} ${buildkit.builder.clientVersion} (${buildkit.builder.buildkit})`,
          neededFor: 'kind',
        }
      : { id: 'buildkit', title: 'BuildKit', status: 'fail', detail: buildkit.problem, ...(buildkit.fix ? { fix: buildkit.fix } : {}), neededFor: 'kind' },
  );
  checks.push(
    kind.found
      ? { id: 'kind', title: `kind >= ${MIN_KIND}`, status: 'ok', detail: kind.version, neededFor: 'kind' }
      : {
          id: 'kind',
          title: `kind >= ${MIN_KIND}`,
          status: 'fail',
          detail: kind.problem,
          fix: installFix('kind'),
          neededFor: 'kind',
        },
  );
  checks.push(
    kubectl.found
      ? { id: 'kubectl', title: 'kubectl', status: 'ok', detail: kubectl.version, neededFor: 'everything' }
      : {
          id: 'kubectl',
          title: 'kubectl',
          status: 'fail',
          detail: kubectl.problem,
          fix: installFix('kubectl'),
          neededFor: 'everything',
        },
  );
  checks.push(
    skaffold.found
      ? { id: 'skaffold', title: 'Skaffold', status: 'ok', detail: skaffold.version, neededFor: 'lab 5 (Skaffold)' }
      : {
          id: 'skaffold',
          title: 'Skaffold',
          status: 'warn',
          detail: `${skaffold.problem}: lab 5 will be skipped`,
          fix: installFix('skaffold'),
          neededFor: 'lab 5 (Skaffold)',
        },
  );

  const node = options.nodeVersion ?? process.versions.node;
  checks.push(
    atLeast(node, MIN_NODE)
      ? { id: 'node', title: `Node >= ${MIN_NODE}`, status: 'ok', detail: `v${node.replace(/^v/, '')}`, neededFor: 'everything' }
      : {
          id: 'node',
          title: `Node >= ${MIN_NODE}`,
          status: 'fail',
          detail: `v${node.replace(/^v/, '')} is too old`,
          fix: 'run the labs through the root scripts (`npm run lab:1`), which fetch Node 24 into ~/.cache/ffk, or install Node 24 (`nvm install 24`)',
          neededFor: 'everything',
        },
  );

  const memory = options.memoryBytes ?? availableMemoryBytes();
  const gib = `${(memory / GiB).toFixed(1)} GiB available`;
  const memoryFix = 'close other programs, or pick a Codespace machine type with 8 GB or more';
  checks.push(
    memory >= 4 * GiB
      ? { id: 'memory', title: 'Free memory (4 GiB for kind)', status: 'ok', detail: gib, neededFor: 'everything' }
      : memory >= 2 * GiB
        ? {
            id: 'memory',
            title: 'Free memory (4 GiB for kind)',
            status: 'warn',
            detail: `${gib}: the cluster may be slow or evict pods`,
            fix: memoryFix,
            neededFor: 'everything',
          }
        : {
            id: 'memory',
            title: 'Free memory (4 GiB for kind)',
            status: 'fail',
            detail: `${gib}: too little for a cluster and three services`,
            fix: memoryFix,
            neededFor: 'everything',
          },
  );

  for (const port of options.ports ?? [8080]) {
    const free = await portFree(port);
    const simulator = free || !options.repoRoot ? undefined : simulatorHoldingPort(port, options.repoRoot);
    checks.push(
      free
        ? { id: `port-${port}`, title: `Port ${port} free`, status: 'ok', detail: 'free', neededFor: 'everything' }
        : simulator
          ? {
              id: `port-${port}`,
              title: `Port ${port} free`,
              status: 'fail',
              detail: `in use: ${stopSimulatorAdvice(simulator.pid)}`,
              fix: 'npm run ffk -- sim stop',
              neededFor: 'everything',
            }
          : {
              id: `port-${port}`,
              title: `Port ${port} free`,
              status: 'fail',
              detail: 'in use: the storefront is forwarded there',
              fix: `find the process with \`ss -ltnp 'sport = :${port}'\` (or \`lsof -i :${port}\`) and stop it`,
              neededFor: 'everything',
            },
    );
  }

  const blocked = checks.some((c) => c.status === 'fail' && c.neededFor === 'everything');
  const missing = [...(!docker.found ? ['no usable Docker engine'] : !buildkit.ok ? ['no BuildKit'] : []), ...(!kind.found ? ['no kind'] : [])];
  const mode: Mode = blocked ? 'blocked' : missing.length === 0 ? 'kind' : 'offline';
  return {
    ok: !blocked,
    mode,
    checks,
    ...(mode === 'offline' ? { offline: { command: 'npm run lab:1 -- --offline', missing, notShown: OFFLINE_NOT_SHOWN } } : {}),
  };
}
