import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { type Cluster, type Context, KubeConfig, type User } from '@kubernetes/client-node';
import { ClusterError, firstLine } from '../errors/cluster-error';
import { PooledKubeConfig } from './pooled';

export interface KubeconfigOptions {
  /** --kubeconfig: one file, used instead of KUBECONFIG and ~/.kube/config. */
  kubeconfig?: string;
  /** --context: use this context instead of the file's current-context. */
  context?: string;
  /** --namespace: overrides the context's namespace for everything done with the result. */
  namespace?: string;
  /** Environment to read KUBECONFIG and HOME from (tests pass their own). */
  env?: NodeJS.ProcessEnv;
}

/** The cluster a command is about to act on, as printed before any change. */
export interface ClusterTarget {
  context: string;
  cluster: string;
  server: string;
  namespace: string;
  user: string;
}

export interface LoadedKubeconfig {
  /** A KubeConfig whose current context is the chosen one, with the effective namespace. Never mutated later. */
  kc: KubeConfig;
  target: ClusterTarget;
  /** Files that were read, in precedence order (what a session watches for changes). */
  files: string[];
  /** The files' current-context when loaded (may differ from target.context under --context). */
  currentContext: string;
  options: KubeconfigOptions;
}

/** kubectl's precedence: --kubeconfig, else every file in KUBECONFIG, else ~/.kube/config. */
export function kubeconfigFiles(options: KubeconfigOptions = {}): string[] {
  const env = options.env ?? process.env;
  if (options.kubeconfig) return [resolve(options.kubeconfig)];
  if (env.KUBECONFIG)
    return env.KUBECONFIG.split(delimiter)
      .filter(Boolean)
      .map((file) => resolve(file));
  return [join(env.HOME ?? homedir(), '.kube', 'config')];
}

export function loadKubeconfig(options: KubeconfigOptions = {}): LoadedKubeconfig {
  const files = kubeconfigFiles(options);
  const merged = mergeKubeconfigFiles(files, Boolean(options.kubeconfig));
  const contextName = options.context ?? merged.currentContext;
  const names = merged.contexts.map((c) => c.name);
  if (!contextName) {
    throw new ClusterError('kubeconfig', `no current context in ${files.join(', ')}: pass --context <name> (available: ${list(names)})`);
  }
  const context = merged.contexts.find((c) => c.name === contextName);
  if (!context) {
    throw new ClusterError('kubeconfig', `context "${contextName}" is not in ${files.join(', ')}: pass --context with one of: ${list(names)}`);
  }
  const cluster = merged.clusters.find((c) => c.name === context.cluster);
  if (!cluster) {
    throw new ClusterError(
      'kubeconfig',
      `context "${contextName}" names cluster "${context.cluster}", which is not defined in ${files.join(', ')}: fix the kubeconfig`,
    );
  }
  const user = merged.users.find((u) => u.name === context.user);
  const namespace = options.namespace ?? context.namespace ?? 'default';
  const kc = new PooledKubeConfig();
  // Only the chosen context goes in, so nothing later can drift to another one by accident.
  kc.loadFromOptions({
    clusters: [cluster],
    users: [user ?? { name: context.user }],
    contexts: [{ ...context, namespace }],
    currentContext: context.name,
  });
  return {
    kc,
    files,
    currentContext: merged.currentContext,
    options,
    target: { context: context.name, cluster: cluster.name, server: cluster.server, namespace, user: context.user },
  };
}

export interface MergedKubeconfig {
  clusters: Cluster[];
  users: User[];
  contexts: Context[];
  currentContext: string;
}

/** Merge like kubectl: the first file that sets a name or the current-context wins; missing files in KUBECONFIG are skipped. */
export function mergeKubeconfigFiles(files: string[], explicit = false): MergedKubeconfig {
  const merged: MergedKubeconfig = { clusters: [], users: [], contexts: [], currentContext: '' };
  const present = files.filter((file) => existsSync(file));
  if (present.length === 0) {
    const where = explicit ? `--kubeconfig ${files[0]} does not exist` : `no kubeconfig at ${files.join(', ')}`;
    throw new ClusterError('kubeconfig', `${where}: set KUBECONFIG or pass --kubeconfig (for the simulator, \`ffk sim start\` prints the export line)`);
  }
  for (const file of present) {
    const kc = new PooledKubeConfig();
    try {
      kc.loadFromFile(file);
    } catch (error) {
      throw new ClusterError('kubeconfig', `cannot read kubeconfig ${file}: ${firstLine(error)}; fix or remove it`, { cause: error });
    }
    addNew(merged.clusters, kc.getClusters());
    addNew(merged.users, kc.getUsers());
    addNew(merged.contexts, kc.getContexts());
    merged.currentContext ||= kc.getCurrentContext() ?? '';
  }
  return merged;
}

function addNew<T extends { name: string }>(into: T[], items: T[]): void {
  for (const item of items) if (!into.some((existing) => existing.name === item.name)) into.push(item);
}

function list(names: string[]): string {
  return names.length ? names.join(', ') : 'none';
}
