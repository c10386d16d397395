// Which docker client can build the kit's images. The Dockerfiles use `RUN --mount` (npm cache,
// the host's CA bundle as a secret), which needs BuildKit: a 23+ client reaches it only through
// the buildx plugin, while 18.09-22.x clients (Debian's docker.io 20.10) have it built in behind
// DOCKER_BUILDKIT=1. The first client on PATH may lack it while another installed one has it.
import { realpathSync } from 'node:fs';
import { runCommand } from './run';

export interface Builder {
  /** The docker client to run, e.g. /usr/bin/docker. */
  client: string;
  clientVersion: string;
  engineVersion: string;
  /** Environment for `client build` (DOCKER_BUILDKIT=1 for built-in BuildKit). */
  env: NodeJS.ProcessEnv;
  /** How this client reaches BuildKit, in a few words, for progress lines and doctor. */
  buildkit: string;
  /** The engine has no default bridge (dockerd --bridge=none): RUN steps and containers need the host network. */
  hostNetwork: boolean;
}

export type EngineProbe =
  | { ok: true; builder: Builder }
  /** engine: whether an engine answered at all (then only BuildKit is missing). */
  | { ok: false; engine: boolean; problem: string; fix: string };

const CLIENTS = ['docker', '/usr/bin/docker', '/usr/local/bin/docker'];

const major = (version: string) => Number(/^(\d+)/.exec(version)?.[1] ?? 0);

function resolved(client: string): string {
  try {
    return realpathSync(client);
  } catch {
    return client;
  }
}

/** Every distinct docker client installed (or of `candidates`), the one on PATH first. */
async function clients(candidates?: string[]): Promise<string[]> {
  const onPath = candidates ? undefined : await runCommand('sh', ['-c', 'command -v docker']);
  const found = candidates ?? [onPath!.stdout.trim(), ...CLIENTS.slice(1)].filter(Boolean);
  const seen = new Set<string>();
  const result: string[] = [];
  for (const client of found) {
    const real = resolved(client);
    if (seen.has(real) || (await runCommand(client, ['--version'])).code !== 0) continue;
    seen.add(real);
    result.push(client);
  }
  return result;
}

interface ClientInfo {
  client: string;
  clientVersion: string;
  engineVersion?: string;
  engineProblem?: string;
}

async function inspectClient(client: string): Promise<ClientInfo> {
  const result = await runCommand(client, ['version', '--format', '{{.Client.Version}}|{{.Server.Version}}']);
  const [clientVersion = '', engineVersion = ''] = result.stdout.trim().split('|');
  if (result.code === 0 && engineVersion) return { client, clientVersion, engineVersion };
  const said = result.stderr.split('\n').find((line) => /cannot connect|error|permission/i.test(line)) ?? result.stderr.split('\n').find(Boolean);
  return { client, clientVersion, engineProblem: said?.trim() || 'docker version failed' };
}

async function buildkitOf(info: ClientInfo): Promise<{ env: NodeJS.ProcessEnv; buildkit: string } | undefined> {
  if ((await runCommand(info.client, ['buildx', 'version'])).code === 0) return { env: { ...process.env, DOCKER_BUILDKIT: '1' }, buildkit: 'buildx plugin' };
  if (major(info.clientVersion) >= 18 && major(info.clientVersion) < 23) return { env: { ...process.env, DOCKER_BUILDKIT: '1' }, buildkit: `built into client ${info.clientVersion}` };
  return undefined;
}

/** Finds an engine and a client that builds with BuildKit on it, or says what is missing and how to fix it. */
export async function findBuilder(options: { clients?: string[] } = {}): Promise<EngineProbe> {
  const found = await clients(options.clients);
  if (found.length === 0)
    return { ok: false, engine: false, problem: 'the docker command is not installed', fix: 'install Docker Engine (https://docs.docker.com/engine/install/) or open the repository in its devcontainer' };
  const infos = await Promise.all(found.map(inspectClient));
  const answering = infos.filter((info) => info.engineVersion);
  if (answering.length === 0)
    return {
      ok: false,
      engine: false,
      problem: `no Docker engine answers (${infos[0]!.engineProblem})`,
      fix: 'start the engine: `sudo service docker start`, Docker Desktop, or as root `dockerd --bridge=none --iptables=false --ip6tables=false &`',
    };
  for (const info of answering) {
    const buildkit = await buildkitOf(info);
    if (!buildkit) continue;
    const bridge = await runCommand(info.client, ['network', 'inspect', 'bridge', '--format', '{{.Name}}']);
    return { ok: true, builder: { client: info.client, clientVersion: info.clientVersion, engineVersion: info.engineVersion!, ...buildkit, hostNetwork: bridge.code !== 0 } };
  }
  const described = answering.map((info) => `${info.client} ${info.clientVersion}`).join(', ');
  return {
    ok: false,
    engine: true,
    problem: `no docker client here can use BuildKit (${described}: 23+ clients need the buildx plugin), and the Dockerfiles' RUN --mount needs it`,
    fix: 'install the buildx plugin (`apt-get install docker-buildx` or Docker\'s `docker-buildx-plugin`), or a client with BuildKit built in (Debian bookworm\'s docker.io 20.10 puts one at /usr/bin/docker)',
  };
}
