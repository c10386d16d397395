import type { LabContext, LoadedLab, Step } from '../model/types';
import { renderMarkdown } from '../render/markdown';
import { style } from '../render/style';
import { createShell } from '../shell/shell';
import type { ProgressStore } from '../state/progress';
import type { Output } from './actions';
import { createContext, type LogSink } from './context';
import { logLine } from './task-lines';
import { createToolbox, type Toolbox } from './toolbox';

/** Everything one run of one lab shares: context, tools, progress, where output goes. */
export interface Session {
  loaded: LoadedLab;
  ctx: LabContext;
  sink: LogSink;
  toolbox: Toolbox;
  store: ProgressStore;
  out: Output;
  abort: AbortController;
}

export interface SessionOptions {
  repoRoot: string;
  store: ProgressStore;
  mode: LabContext['mode'];
  offline: boolean;
  out: Output;
  /** Where the context's log lines go between tasks; under the step on `out` when omitted. */
  log?: (line: string) => void;
}

export function openSession(loaded: LoadedLab, options: SessionOptions): Session {
  const abort = new AbortController();
  const toolbox = createToolbox(createShell(options.repoRoot), options.offline);
  const sink = { log: options.log ?? ((line: string) => options.out.write(`${logLine(line)}\n`)) };
  const ctx = createContext(loaded, { repoRoot: options.repoRoot, store: options.store, toolbox, mode: options.mode, signal: abort.signal }, sink);
  return { loaded, ctx, sink, toolbox, store: options.store, out: options.out, abort };
}

export function stepHeading(loaded: LoadedLab, index: number): string {
  const step = loaded.lab.steps[index];
  return style.bold(`Lab ${loaded.number} · step ${index + 1}/${loaded.lab.steps.length}: ${step.title}`);
}

export function stepBody(step: Step): string {
  return step.body ? renderMarkdown(step.body) : '';
}
