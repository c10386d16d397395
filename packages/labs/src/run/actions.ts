// Automated tasks with progress: a spinner and a running clock on a terminal, one line per task
// in logs; each finished task shows its time, a failed one the output of the command that failed.
import { formatDuration } from '../render/duration';
import { style } from '../render/style';
import { describeFailure, outputTail } from '../shell/shell';
import type { ActionTask, LabContext } from '../model/types';
import { skipReason } from './skip';
import type { Toolbox } from './toolbox';

export interface TaskOutcome {
  title: string;
  status: 'done' | 'failed' | 'skipped';
  ms: number;
  reason?: string;
}

export interface Output {
  write(text: string): void;
  isTTY: boolean;
}

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

export async function runTasks(
  tasks: ActionTask[],
  ctx: LabContext,
  sink: { log(line: string): void },
  toolbox: Toolbox,
  out: Output,
): Promise<TaskOutcome[]> {
  const outcomes: TaskOutcome[] = [];
  let failedTitle: string | null = null;
  for (const task of tasks) {
    const missing = failedTitle ? `after "${failedTitle}" failed` : await skipReason(toolbox, ctx, task);
    if (missing) {
      out.write(`${style.yellow('↷')} ${task.title} ${style.dim(`skipped: ${missing}`)}\n`);
      outcomes.push({ title: task.title, status: 'skipped', ms: 0, reason: missing });
      continue;
    }
    const started = performance.now();
    const elapsed = () => formatDuration(performance.now() - started);
    const line = () => `\r\x1b[K${style.cyan(FRAMES[Math.floor((performance.now() - started) / 100) % FRAMES.length])} ${task.title} ${style.dim(elapsed())}`;
    let timer: NodeJS.Timeout | undefined;
    if (out.isTTY) {
      out.write(line());
      timer = setInterval(() => out.write(line()), 100);
    } else {
      out.write(`${style.dim('…')} ${task.title}\n`);
    }
    const previous = sink.log;
    sink.log = (text) => out.write(`${out.isTTY ? '\r\x1b[K' : ''}    ${style.dim(text)}\n${out.isTTY ? line() : ''}`);
    try {
      const result = await task.run(ctx);
      clearInterval(timer);
      out.write(`${out.isTTY ? '\r\x1b[K' : ''}${style.green('✔')} ${task.title} ${style.dim(elapsed())}${result ? ` ${style.dim(`· ${result}`)}` : ''}\n`);
      outcomes.push({ title: task.title, status: 'done', ms: performance.now() - started });
    } catch (error) {
      clearInterval(timer);
      const failure = describeFailure(error);
      out.write(`${out.isTTY ? '\r\x1b[K' : ''}${style.red('✖')} ${task.title} ${style.dim(elapsed())}\n    ${style.red(failure.reason)}\n`);
      if (failure.output) out.write(`${outputTail(failure.output)}\n`);
      outcomes.push({ title: task.title, status: 'failed', ms: performance.now() - started, reason: failure.reason });
      failedTitle = task.title;
    } finally {
      sink.log = previous;
    }
  }
  return outcomes;
}
