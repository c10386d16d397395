// How a task looks while it runs and once it finished: the same lines in a log, under a spinner
// on a terminal, and on the interactive runner's screen.
import { formatDuration } from '../render/duration';
import { style } from '../render/style';
import { outputTail } from '../shell/shell';
import type { TaskOutcome } from './actions';

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/** The spinner line of a running task; the frame follows the elapsed time, so redraws animate it. */
export function runningTaskLine(title: string, elapsedMs: number): string {
  return `${style.cyan(FRAMES[Math.floor(elapsedMs / 100) % FRAMES.length])} ${title} ${style.dim(formatDuration(elapsedMs))}`;
}

/** A finished (or skipped) task: one line, plus the reason and the command's output tail when it failed. */
export function taskOutcomeLines(outcome: TaskOutcome): string {
  const took = style.dim(formatDuration(outcome.ms));
  if (outcome.status === 'skipped') return `${style.yellow('↷')} ${outcome.title} ${style.dim(`skipped: ${outcome.reason}`)}`;
  if (outcome.status === 'done') return `${style.green('✔')} ${outcome.title} ${took}${outcome.result ? ` ${style.dim(`· ${outcome.result}`)}` : ''}`;
  const failed = `${style.red('✖')} ${outcome.title} ${took}\n    ${style.red(outcome.reason ?? 'failed')}`;
  return outcome.output ? `${failed}\n${outputTail(outcome.output)}` : failed;
}

/** A line a task or check logged, indented under it. */
export function logLine(line: string): string {
  return `    ${style.dim(line)}`;
}
