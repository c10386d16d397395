import { unwatchFile, watchFile } from 'node:fs';
import { firstLine } from '../errors/cluster-error';
import { type LoadedKubeconfig, mergeKubeconfigFiles } from './load';

/** A way the kubeconfig on disk no longer matches what a running session pinned. */
export type KubeconfigDrift =
  | { kind: 'current-context-changed'; from: string; to: string }
  | { kind: 'server-changed'; context: string; from: string; to: string }
  | { kind: 'context-removed'; context: string }
  | { kind: 'unreadable'; reason: string };

export interface ContextPin {
  /** Re-reads the kubeconfig files now; empty when they still match the pinned session. */
  check(): KubeconfigDrift[];
  /**
   * Polls the files (stat, so editors' atomic renames are seen too) and calls onChange whenever
   * the set of drifts changes, including back to [] when the change is undone. Returns a stop function.
   */
  watch(onChange: (drifts: KubeconfigDrift[]) => void, options?: { intervalMs?: number }): () => void;
}

/**
 * Pins a session to the context it started with. The session keeps using its in-memory
 * KubeConfig either way; this tells the user (and lets the CLI refuse to go on) when
 * `kubectl config use-context` or an edit makes the files point somewhere else.
 */
export function pinContext(loaded: LoadedKubeconfig): ContextPin {
  const { target, files } = loaded;
  const explicit = Boolean(loaded.options.kubeconfig);

  function check(): KubeconfigDrift[] {
    let merged;
    try {
      merged = mergeKubeconfigFiles(files, explicit);
    } catch (error) {
      return [{ kind: 'unreadable', reason: firstLine(error) }];
    }
    const drifts: KubeconfigDrift[] = [];
    if (merged.currentContext !== loaded.currentContext) {
      drifts.push({ kind: 'current-context-changed', from: loaded.currentContext, to: merged.currentContext });
    }
    const context = merged.contexts.find((c) => c.name === target.context);
    const server = context && merged.clusters.find((c) => c.name === context.cluster)?.server;
    if (!context) drifts.push({ kind: 'context-removed', context: target.context });
    else if (server !== target.server) {
      drifts.push({ kind: 'server-changed', context: target.context, from: target.server, to: server ?? '(no cluster)' });
    }
    return drifts;
  }

  function watch(onChange: (drifts: KubeconfigDrift[]) => void, options: { intervalMs?: number } = {}): () => void {
    let last = '[]';
    const recheck = () => {
      const drifts = check();
      const key = JSON.stringify(drifts);
      if (key === last) return;
      last = key;
      onChange(drifts);
    };
    const interval = options.intervalMs ?? 1000;
    for (const file of files) watchFile(file, { interval, persistent: false }, recheck);
    return () => {
      for (const file of files) unwatchFile(file, recheck);
    };
  }

  return { check, watch };
}

/** One line for a drift, saying what the session keeps doing and what to do. */
export function describeDrift(drift: KubeconfigDrift, pinned: string): string {
  const prefix = 'kubeconfig changed under this session:';
  switch (drift.kind) {
    case 'current-context-changed':
      return `${prefix} current-context is now "${drift.to || '(none)'}" (was "${drift.from}"); this session stays on "${pinned}": stop it and start again to use the new context`;
    case 'server-changed':
      return `${prefix} context "${drift.context}" now points at ${drift.to} (was ${drift.from}); this session stays on the old server: stop it and start again if the change is intended`;
    case 'context-removed':
      return `${prefix} context "${drift.context}" was removed; this session keeps its connection: stop it and check the kubeconfig`;
    case 'unreadable':
      return `${prefix} it cannot be read any more (${drift.reason}); this session keeps its connection: fix the file`;
  }
}
