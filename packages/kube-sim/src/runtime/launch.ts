// Turns a container of a pod into the command line of a local process.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { NAMES_FILE_ENV, POD_IP_ENV, POD_NAMESPACE_ENV } from '../network/preload';
import { expandVariables } from './env';
import type { ImageRuntime } from './images';
import type { Container } from './kube-types';
import { nodeImageCommand, nodeImageWorkingDir } from './node-image';
import { findPostgresBin, postgresToolsDir } from './postgres';
import type { LaunchSpec } from './process';

export interface PodNetwork {
  ip: string;
  namespace: string;
  hostname: string;
  namesFile: string;
}

const tsx = fileURLToPath(import.meta.resolve('tsx'));
const networkPreload = fileURLToPath(new URL('../network/preload.ts', import.meta.url));
const lifelinePreload = fileURLToPath(import.meta.resolve('@ffk/process-kit/lifeline-preload'));
const postgresMain = fileURLToPath(new URL('./postgres-main.ts', import.meta.url));

// Only what an image would bring along; the host's own settings (KUBECONFIG, DATABASE_URL…) stay out.
const HOST_VARIABLES = ['PATH', 'HOME', 'LANG', 'TZ', 'TMPDIR', 'FFK_NODE', 'KUBE_SIM_POSTGRES_BIN'];

/** The directory of the nearest package.json: the "WORKDIR" of a Node image. */
function packageDirectory(entry: string): string {
  for (let dir = dirname(entry); dir !== dirname(dir); dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
  }
  return dirname(entry);
}

/** The container's environment plus what the network preload reads to give it the pod's network. */
export function podEnv(env: Record<string, string>, network: PodNetwork): Record<string, string> {
  return {
    HOSTNAME: network.hostname,
    ...env,
    [POD_IP_ENV]: network.ip,
    [POD_NAMESPACE_ENV]: network.namespace,
    [NAMES_FILE_ENV]: network.namesFile,
  };
}

/** `mounts`: mountPath -> directory, for the Node image's volumes (process-volumes.ts). */
export function launchSpec(
  runtime: ImageRuntime,
  container: Container,
  env: Record<string, string>,
  network: PodNetwork,
  mounts = new Map<string, string>(),
): LaunchSpec {
  const hostEnv = Object.fromEntries(HOST_VARIABLES.flatMap((name) => (process.env[name] ? [[name, process.env[name]]] : [])));
  // The postgres image has its tools (pg_isready for exec probes…) on PATH; a stand-in comes last.
  if (runtime.kind === 'postgres') hostEnv.PATH = `${findPostgresBin()}:${hostEnv.PATH ?? '/usr/bin:/bin'}:${postgresToolsDir(tsx)}`;
  // The kubelet expands $(VAR) in args from the container's environment.
  const args = (container.args ?? []).map((arg) => expandVariables(arg, (name) => env[name]));
  const fullEnv = { ...hostEnv, ...podEnv(env, network) };
  const node = (preloads: string[], nodeArgs: string[]) => ({
    command: process.execPath,
    args: ['--import', tsx, ...preloads.flatMap((p) => ['--import', p]), ...nodeArgs],
    env: fullEnv,
  });
  if (runtime.kind === 'postgres') return { ...node([], [postgresMain, ...args]), cwd: dirname(postgresMain) };
  if (runtime.kind === 'node-image') {
    const line = nodeImageCommand(container, args, mounts);
    const cwd = nodeImageWorkingDir(container, mounts, dirname(network.namesFile));
    if (!line.node) return { command: line.command, args: line.args, env: fullEnv, cwd };
    return { ...node([networkPreload, lifelinePreload], line.args), cwd };
  }
  return { ...node([networkPreload, lifelinePreload], [runtime.entry, ...args]), cwd: packageDirectory(runtime.entry) };
}
