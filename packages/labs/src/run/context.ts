import type { LabContext, LoadedLab } from '../model/types';
import { createShell } from '../shell/shell';
import type { ProgressStore } from '../state/progress';
import type { Toolbox } from './toolbox';

export interface RunEnv {
  repoRoot: string;
  store: ProgressStore;
  toolbox: Toolbox;
  mode: LabContext['mode'];
  signal: AbortSignal;
}

/** Where a context's log lines go: a field, not a method, because a running task points it at its progress. */
export interface LogSink {
  log: (line: string) => void;
}

/** A context whose log lines go wherever the runner currently points `sink`. */
export function createContext(loaded: LoadedLab, env: RunEnv, sink: LogSink): LabContext {
  let announced = false;
  const ctx: LabContext = {
    repoRoot: env.repoRoot,
    labDir: loaded.dir,
    labNumber: loaded.number,
    mode: env.mode,
    $: createShell(env.repoRoot, process.env, env.signal),
    log: (line) => sink.log(line),
    recordLoop: (name, ms) => {
      env.store.recordLoop(name, ms, loaded.number);
    },
    async timeLoop(name, fn) {
      const started = performance.now();
      const result = await fn();
      ctx.recordLoop(name, performance.now() - started);
      return result;
    },
    loops: () => env.store.data.loops,
    has: (tool) => env.toolbox.has(tool),
    backend: async () => {
      const first = !announced;
      announced = true;
      const { backend, reason } = await env.toolbox.backend();
      if (first) sink.log(`cluster: ${reason}`);
      return backend;
    },
    signal: env.signal,
  };
  return ctx;
}
