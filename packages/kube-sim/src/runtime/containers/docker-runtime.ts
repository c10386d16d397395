// Pods from the images on the local Docker engine. A container whose image the engine has (and
// whose program there is Node) becomes a container of that image; every other one stays a local process
// (images.ts). The pod network is the one process pods get: every container is on the host
// network, and the network preload, mounted read-only and loaded through NODE_OPTIONS, binds
// the pod's 127.x address and answers cluster DNS from the simulator's name table.
import { randomUUID } from 'node:crypto';
import { chmodSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { expandVariables } from '../env';
import type { Container, Pod } from '../kube-types';
import { podEnv, type PodNetwork } from '../launch';
import { DockerContainer, type DockerCreateBody } from './docker-container';
import { DockerEngine, dockerSocketPath } from './docker-engine';
import { OWNER_PID_LABEL, SIM_LABEL } from './labels';
import { type Reaper, startReaper, sweepOrphans } from './reaper';

export interface LocalImage {
  /** The reference the pod names (what `docker ps` shows). */
  ref: string;
  /** `sha256:…`, reported as the container's imageID. */
  id: string;
  env: string[];
}

const networkPreload = fileURLToPath(new URL('../../network/preload.ts', import.meta.url));
const INSPECT_TIMEOUT_MS = 2000;

interface ImageConfig {
  Env?: string[] | null;
  Entrypoint?: string[] | null;
  Cmd?: string[] | null;
}

const NODE_PROGRAMS = /(^|\/)(node|nodejs|npm|npx|tsx)$|\/node_modules\/\.bin\//;

/**
 * Whether the container's program is Node (the network preload gives only Node programs the pod's
 * address): its first word, from `command`, else the image's entrypoint, else `args`/CMD.
 */
function runsNode(container: Container, config: ImageConfig): boolean {
  const line = container.command?.length ? container.command : config.Entrypoint?.length ? config.Entrypoint : (container.args ?? config.Cmd ?? []);
  return NODE_PROGRAMS.test(line[0] ?? '');
}

export class DockerRuntime {
  /** This simulator's identity on the engine (the value of SIM_LABEL). */
  readonly simId = randomUUID();
  private readonly engine: DockerEngine;
  /** The network preload as the containers import it (built by preloadFile()). */
  private readonly preloadPath: string;
  private preload: Promise<string> | undefined;
  private reaper: Reaper | undefined;

  /** `shareDir` holds the name table; containers mount it read-only at the same path. */
  constructor(
    private readonly shareDir: string,
    socketPath: string,
  ) {
    this.engine = new DockerEngine(socketPath);
    this.preloadPath = join(shareDir, 'preload.mjs');
  }

  /** A DockerRuntime when the engine's socket is a unix socket (whether an engine answers is found out per image). */
  static create(shareDir: string): DockerRuntime | undefined {
    const socket = dockerSocketPath();
    return socket ? new DockerRuntime(shareDir, socket) : undefined;
  }

  /** The container's image when the engine has it and the container runs Node there; undefined otherwise (no engine, not there, not Node). Never throws. */
  async localImage(container: Container): Promise<LocalImage | undefined> {
    const ref = container.image ?? '';
    if (!ref || /[\s?#]/.test(ref)) return undefined;
    try {
      const { body } = await this.engine.call<{ Id: string; Config: ImageConfig }>('GET', `/images/${ref}/json`, undefined, INSPECT_TIMEOUT_MS);
      if (!runsNode(container, body.Config ?? {})) return undefined;
      await this.preloadFile();
      return { ref, id: body.Id, env: body.Config.Env ?? [] };
    } catch {
      return undefined; // 404: not on this engine; anything else: no engine answers
    }
  }

  /** Starts one run of `container` from `image` (attempt = its restartCount, part of the name as dockershim named containers). */
  run(
    pod: Pod,
    container: Container,
    image: LocalImage,
    env: Record<string, string>,
    network: PodNetwork,
    binds: string[],
    attempt: number,
    onStarted: () => void,
  ): DockerContainer {
    if (!this.reaper) {
      this.reaper = startReaper(this.engine.socketPath, this.simId);
      // Containers of an earlier simulator whose reaper was killed with it.
      void sweepOrphans(this.engine, OWNER_PID_LABEL).catch(() => {});
    }
    const expand = (list: string[] | undefined) => list?.map((arg) => expandVariables(arg, (name) => env[name]));
    const nodeOptions = env.NODE_OPTIONS ?? image.env.find((entry) => entry.startsWith('NODE_OPTIONS='))?.slice('NODE_OPTIONS='.length) ?? '';
    const user = container.securityContext?.runAsUser ?? pod.spec.securityContext?.runAsUser;
    const group = container.securityContext?.runAsGroup ?? pod.spec.securityContext?.runAsGroup;
    const { name: podName = '', namespace = 'default', uid = '' } = pod.metadata;
    const body: DockerCreateBody = {
      Image: image.ref,
      // Kubernetes: `command` replaces the entrypoint (and drops the image's CMD), `args` the CMD.
      Entrypoint: expand(container.command) ?? null,
      Cmd: expand(container.args) ?? (container.command ? [] : null),
      Env: Object.entries({ ...podEnv(env, network), NODE_OPTIONS: `--import=${this.preloadPath} ${nodeOptions}`.trim() }).map(
        ([key, value]) => `${key}=${value}`,
      ),
      ...(container.workingDir ? { WorkingDir: container.workingDir } : {}),
      ...(user !== undefined ? { User: group !== undefined ? `${user}:${group}` : String(user) } : {}),
      // Ours, plus the pod's as dockershim labelled them.
      Labels: {
        [SIM_LABEL]: this.simId,
        [OWNER_PID_LABEL]: String(process.pid),
        'io.kubernetes.pod.name': podName,
        'io.kubernetes.pod.namespace': namespace,
        'io.kubernetes.pod.uid': uid,
        'io.kubernetes.container.name': container.name,
      },
      AttachStdout: true,
      AttachStderr: true,
      // docker-init as pid 1: it forwards SIGTERM to the app and reaps what the app forks.
      HostConfig: { NetworkMode: 'host', Init: true, Binds: [`${this.shareDir}:${this.shareDir}:ro`, ...binds] },
    };
    return new DockerContainer(this.engine, `k8s_${container.name}_${podName}_${namespace}_${uid}_${attempt}`, body, onStarted);
  }

  /** The simulator stops: its reaper removes whatever is left and exits. */
  close(): void {
    this.reaper?.release();
  }

  /** The network preload as one ES module file (the images have no tsx), built once per simulator. */
  private preloadFile(): Promise<string> {
    this.preload ??= (async () => {
      const file = this.preloadPath;
      await build({ entryPoints: [networkPreload], outfile: file, bundle: true, platform: 'node', format: 'esm', target: 'node20', logLevel: 'silent' });
      chmodSync(file, 0o644);
      return file;
    })();
    return this.preload;
  }
}

/** The directory of the name table, readable by the containers' users (they are not root). */
export function makeShareDir(namesFile: string): string {
  const dir = dirname(namesFile);
  mkdirSync(dir, { recursive: true });
  chmodSync(dir, 0o755);
  return dir;
}
