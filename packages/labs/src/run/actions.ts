// Automated tasks, one after the other; each reports its start, its log lines and its outcome to a
// TaskProgress: printed with a spinner and a running clock on a terminal, one line per task in
// logs, or turned into events by the interactive runner.
import type { ActionTask, LabContext } from '../model/types';
import { style } from '../render/style';
import { describeFailure } from '../shell/shell';
import type { LogSink } from './context';
import { skipReason } from './skip';
import { logLine, runningTaskLine, taskOutcomeLines } from './task-lines';
import type { Toolbox } from './toolbox';

export interface TaskOutcome {
  title: string;
  status: 'done' | 'failed' | 'skipped';
  ms: number;
  reason?: string;
  /** The short line a done task returned, e.g. "3 images loaded". */
  result?: string;
  /** Output of the command a failed task ran. */
  output?: string;
}

export interface Output {
  write(text: string): void;
  isTTY: boolean;
}

/** Where a run of tasks reports as it goes. */
export interface TaskProgress {
  started(title: string): void;
  log(line: string): void;
  /** Also for a skipped task, which never starts. */
  finished(outcome: TaskOutcome): void;
}

export async function runTasks(tasks: ActionTask[], ctx: LabContext, sink: LogSink, toolbox: Toolbox, progress: TaskProgress): Promise<TaskOutcome[]> {
  const outcomes: TaskOutcome[] = [];
  let failedTitle: string | null = null;
  for (const task of tasks) {
    const missing = failedTitle ? `after "${failedTitle}" failed` : await skipReason(toolbox, ctx, task);
    const outcome = missing ? { title: task.title, status: 'skipped' as const, ms: 0, reason: missing } : await runTask(task, ctx, sink, progress);
    progress.finished(outcome);
    outcomes.push(outcome);
    if (outcome.status === 'failed') failedTitle = task.title;
  }
  return outcomes;
}

async function runTask(task: ActionTask, ctx: LabContext, sink: LogSink, progress: TaskProgress): Promise<TaskOutcome> {
  const started = performance.now();
  progress.started(task.title);
  const previous = sink.log;
  sink.log = (line) => progress.log(line);
  try {
    const result = await task.run(ctx);
    return { title: task.title, status: 'done', ms: performance.now() - started, ...(result ? { result } : {}) };
  } catch (error) {
    const failure = describeFailure(error);
    return {
      title: task.title,
      status: 'failed',
      ms: performance.now() - started,
      reason: failure.reason,
      ...(failure.output ? { output: failure.output } : {}),
    };
  } finally {
    sink.log = previous;
  }
}

/** Prints task progress: on a terminal a spinner line redrawn every 100 ms, elsewhere a line per task. */
export function printTaskProgress(out: Output): TaskProgress {
  let running: { title: string; started: number; timer?: NodeJS.Timeout } | null = null;
  const clearLine = out.isTTY ? '\r\x1b[K' : '';
  const spinner = () => (running && out.isTTY ? `\r\x1b[K${runningTaskLine(running.title, performance.now() - running.started)}` : '');
  return {
    started(title) {
      running = { title, started: performance.now() };
      if (!out.isTTY) return out.write(`${style.dim('…')} ${title}\n`);
      out.write(spinner());
      running.timer = setInterval(() => out.write(spinner()), 100);
    },
    log: (line) => out.write(`${clearLine}${logLine(line)}\n${spinner()}`),
    finished(outcome) {
      clearInterval(running?.timer);
      running = null;
      out.write(`${clearLine}${taskOutcomeLines(outcome)}\n`);
    },
  };
}
