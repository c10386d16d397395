// Which tools this machine has, probed once per run and shared by every step that asks.
import { type Probe, probeDockerEngine, probeKind, probeKubectl, probeSkaffold } from '../doctor/probes';
import type { Backend, Tool } from '../model/types';
import type { Shell } from '../shell/shell';

export interface Toolbox {
  probe(tool: Tool): Promise<Probe>;
  has(tool: Tool): Promise<boolean>;
  /** The first missing tool among `tools`, with why, or null when all are there. */
  missing(tools: Tool[] | undefined): Promise<string | null>;
  /** kind when asked for and possible; otherwise kube-sim, with the reason. */
  backend(): Promise<{ backend: Backend; reason: string }>;
}

const PROBES = { docker: probeDockerEngine, kind: probeKind, kubectl: probeKubectl, skaffold: probeSkaffold };

export function createToolbox($: Shell, offline = false): Toolbox {
  const cache = new Map<Tool, Promise<Probe>>();
  const probe = (tool: Tool): Promise<Probe> => {
    // Offline mode runs on kube-sim: nothing that needs a container engine or a real cluster.
    if (offline && tool !== 'kubectl') return Promise.resolve({ found: false, problem: 'offline mode (kube-sim) has no container engine' });
    const probed = cache.get(tool) ?? PROBES[tool]($);
    cache.set(tool, probed);
    return probed;
  };
  let backend: Promise<{ backend: Backend; reason: string }> | undefined;
  const toolbox: Toolbox = {
    probe,
    has: async (tool) => (await probe(tool)).found,
    async missing(tools) {
      for (const tool of tools ?? []) {
        const result = await probe(tool);
        if (!result.found) return `needs ${tool}: ${result.problem}`;
      }
      return null;
    },
    backend: () =>
      (backend ??= (async () => {
        if (offline) return { backend: 'sim' as const, reason: 'offline mode (--offline)' };
        const missing = await toolbox.missing(['docker', 'kind']);
        return missing
          ? { backend: 'sim' as const, reason: `offline mode on kube-sim, because this machine ${missing.replace(/^needs /, 'lacks ')}` }
          : { backend: 'kind' as const, reason: 'kind cluster "ffk"' };
      })()),
  };
  return toolbox;
}
