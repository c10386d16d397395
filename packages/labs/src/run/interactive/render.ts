// Draws the runner's state as the text of one screen; nothing here changes state or writes.
import { drawLoopChart } from '../../loops/chart';
import type { Step, TaskStep } from '../../model/types';
import { formatDuration } from '../../render/duration';
import { renderMarkdown } from '../../render/markdown';
import { style } from '../../render/style';
import { outputTail } from '../../shell/shell';
import { stepBody, stepHeading } from '../session';
import { logLine, runningTaskLine, taskOutcomeLines } from '../task-lines';
import { currentStep, type Exit, type Notice, type RunnerState } from './state';

/** The whole screen; it ends on the line the cursor stays on (the keys, or a running task's spinner). */
export function renderScreen(state: RunnerState): string {
  if (state.phase === 'preparing') return renderPreparing(state);
  const step = currentStep(state);
  return (step.kind === 'task' ? taskStepLines(state, step) : stepLines(state, step)).join('\n');
}

function labTitle(state: RunnerState): string {
  return style.bold(`Lab ${state.loaded.number}: ${state.loaded.lab.title}`);
}

function renderPreparing(state: RunnerState): string {
  return [labTitle(state), '', 'Bringing the cluster to the state this lab needs:', ...feedLines(state)].join('\n');
}

/** A text, action or chart step: its text, what its tasks did, then the keys once they are through. */
function stepLines(state: RunnerState, step: Step): string[] {
  const lines = state.index === 0 ? [labTitle(state), '', renderMarkdown(state.loaded.lab.summary), ''] : [];
  lines.push(stepHeading(state.loaded, state.index), '', stepBody(step));
  if (step.kind === 'chart' && state.phase === 'ready') lines.push('', drawLoopChart(state.loops, { names: step.loops }));
  if (state.notice) lines.push('', noticeText(state, state.notice));
  lines.push(...feedLines(state));
  if (state.phase === 'ready') lines.push('', keysLine(state, step));
  return lines;
}

function taskStepLines(state: RunnerState, step: TaskStep): string[] {
  const lines = [stepHeading(state.loaded, state.index), '', stepBody(step), ''];
  if (state.skip) lines.push(`${style.yellow('↷')} skipped here: ${state.skip}`);
  else if (state.phase === 'ready') lines.push(...checkLines(state, step));
  if (state.notice) lines.push('', noticeText(state, state.notice));
  if (state.phase === 'ready') lines.push('', keysLine(state, step));
  return lines;
}

/** What is watched, the hints revealed so far, the check's result and what it logged. */
function checkLines(state: RunnerState, step: TaskStep): string[] {
  const lines = [style.dim(`Watching ${step.watch.join(', ')}: save to re-check.`), ''];
  step.hints.slice(0, state.hintsShown).forEach((hint, i) => lines.push(`${style.yellow(`Hint ${i + 1}/${step.hints.length}:`)} ${renderMarkdown(hint)}`, ''));
  const { running, last } = state.check;
  if (running) lines.push(`${style.cyan('⠿')} checking…`);
  else if (last) {
    const took = style.dim(formatDuration(last.ms));
    lines.push(last.ok ? `${style.green('✔ Check passed:')} ${last.message} ${took}` : `${style.red('✖ Not yet:')} ${last.message} ${took}`);
    if (!last.ok && last.output) lines.push(outputTail(last.output, 15));
  }
  lines.push(...state.logs.slice(-8).map((line) => logLine(line)));
  return lines;
}

function feedLines(state: RunnerState): string[] {
  const lines = state.feed.map((item) => (item.kind === 'log' ? logLine(item.line) : taskOutcomeLines(item.outcome)));
  if (state.running) lines.push(runningTaskLine(state.running.title, state.now - state.running.startedAt));
  return lines;
}

function keysLine(state: RunnerState, step: Step): string {
  const key = (name: string, what: string) => `${style.bold(name)} ${what}`;
  const next = state.done ? key('n', 'next') : style.dim('n next (after the check passes)');
  const list =
    step.kind === 'task' && !state.skip
      ? [key('h', 'hint'), key('c', 'check'), key('r', 'reset'), next]
      : step.kind === 'action' && !state.done
        ? [key('c', 'run again'), next]
        : [next];
  return style.dim('keys: ') + [...list, key('q', 'quit')].join(style.dim(' · '));
}

function noticeText(state: RunnerState, notice: Notice): string {
  const { number, dir } = state.loaded;
  switch (notice.kind) {
    case 'resumed':
      return `Resumed at step ${notice.step + 1} (\`npm run lab:reset -- ${number}\` starts over).`;
    case 'loop':
      return `${style.cyan('⏱')} ${notice.name}: ${formatDuration(notice.ms)} from save to passing check.`;
    case 'not-done':
      return style.yellow(
        currentStep(state).kind === 'action'
          ? 'Its tasks have to succeed first (c runs them again after a failure).'
          : 'Pass the check first (c checks now, h shows a hint).',
      );
    case 'no-more-hints':
      return `No more hints: the solution is in ${dir.split('/').slice(-2).join('/')}/README.md.`;
    case 'restored':
      return `Restored ${notice.files.join(', ')} from git.`;
    case 'reset-failed':
      return style.red(`Reset failed: ${notice.reason}`);
  }
}

/** The line printed under the last screen when the runner ends. */
export function renderExit(state: RunnerState, exit: Exit): string {
  const { number } = state.loaded;
  switch (exit.kind) {
    case 'quit':
      return `Progress saved in .ffk/labs/progress.json; \`npm run lab:${number}\` continues at step ${state.index + 1}.`;
    case 'complete':
      return style.green(`Lab ${number} complete. Next: \`npm run lab:${number + 1}\` (\`npm run labs\` lists them all).`);
    case 'prepare-failed':
      return style.red('Preparing the lab failed (see above); `npm run doctor` checks this machine.');
    case 'crashed':
      return style.red(exit.reason ?? 'the runner stopped');
  }
}
