import type { ContextClass } from './classify';
import { guardContext, type GuardOptions } from './guard';
import { type KubeconfigOptions, type LoadedKubeconfig, loadKubeconfig } from './load';
import { type ContextPin, pinContext } from './pin';

export interface SessionOptions extends KubeconfigOptions, GuardOptions {
  /** Commands that only read (list, status) may use any context; the guard is for changes. */
  readOnly?: boolean;
}

export interface ClusterSession extends LoadedKubeconfig {
  classification: ContextClass;
  pin: ContextPin;
}

/** What a CLI command does first: load the kubeconfig, refuse a remote context for changes, pin the context. */
export function openSession(options: SessionOptions = {}): ClusterSession {
  const loaded = loadKubeconfig(options);
  const classification = guardContext(loaded.target, { ...options, allowRemote: options.allowRemote || options.readOnly });
  return { ...loaded, classification, pin: pinContext(loaded) };
}
