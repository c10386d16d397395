// The learner's runner, rustlings-style: one step on screen, the check re-runs on every save
// (and on "c"), hints one at a time, reset from git, next once passed, quit keeps progress.
import { emitKeypressEvents } from 'node:readline';
import { filesOf } from '../model/define';
import type { LoadedLab, Step, TaskStep } from '../model/types';
import { drawLoopChart } from '../loops/chart';
import { restoreFromGit } from '../files/edits';
import { watchFiles } from '../files/watch';
import { formatDuration } from '../render/duration';
import { renderMarkdown } from '../render/markdown';
import { style } from '../render/style';
import { describeFailure, outputTail } from '../shell/shell';
import { ProgressStore, progressFile } from '../state/progress';
import { runTasks } from './actions';
import { runCheck, type CheckOutcome } from './check';
import { openSession, stepBody, stepHeading } from './session';
import { skipReason } from './skip';

export interface InteractiveOptions {
  repoRoot: string;
  offline: boolean;
  stdin?: NodeJS.ReadStream;
  stdout?: NodeJS.WriteStream;
}

interface StepState {
  index: number;
  done: boolean;
  hintsShown: number;
  checking: boolean;
  rerunAt: number | null | undefined;
  last: CheckOutcome | null;
  logs: string[];
  notice: string;
  stopWatching?: () => void;
}

const CLEAR = '\x1b[2J\x1b[3J\x1b[H';

export function runInteractive(loaded: LoadedLab, options: InteractiveOptions): Promise<number> {
  const stdin = options.stdin ?? process.stdin;
  const stdout = options.stdout ?? process.stdout;
  const store = new ProgressStore(progressFile(options.repoRoot));
  const out = { write: (text: string) => void stdout.write(text), isTTY: true };
  const session = openSession(loaded, { repoRoot: options.repoRoot, store, mode: 'interactive', offline: options.offline, out });
  const steps = loaded.lab.steps;
  const resumeAt = store.data.current?.lab === loaded.number ? steps.findIndex((s) => s.id === store.data.current!.step) : -1;
  const state: StepState = { index: Math.max(0, resumeAt), done: false, hintsShown: 0, checking: false, rerunAt: undefined, last: null, logs: [], notice: '' };
  if (resumeAt > 0) state.notice = `Resumed at step ${resumeAt + 1} (\`npm run lab:reset -- ${loaded.number}\` starts over).`;

  return new Promise<number>((finish) => {
    const step = () => steps[state.index];

    const redrawTask = () => {
      const task = step() as TaskStep;
      const lines = [CLEAR + stepHeading(loaded, state.index), '', stepBody(task), ''];
      lines.push(style.dim(`Watching ${task.watch.join(', ')}: save to re-check.`), '');
      task.hints.slice(0, state.hintsShown).forEach((hint, i) => lines.push(`${style.yellow(`Hint ${i + 1}/${task.hints.length}:`)} ${renderMarkdown(hint)}`, ''));
      if (state.checking) lines.push(`${style.cyan('⠿')} checking…`);
      else if (state.last) {
        const took = style.dim(formatDuration(state.last.ms));
        lines.push(state.last.ok ? `${style.green('✔ Check passed:')} ${state.last.message} ${took}` : `${style.red('✖ Not yet:')} ${state.last.message} ${took}`);
        if (!state.last.ok && state.last.output) lines.push(outputTail(state.last.output, 15));
      }
      lines.push(...state.logs.slice(-8).map((line) => `    ${style.dim(line)}`));
      if (state.notice) lines.push('', state.notice);
      lines.push('', keys(task));
      stdout.write(`${lines.join('\n')}\n`);
    };

    const keys = (current: Step) => {
      const next = state.done ? style.bold('n') + ' next' : style.dim('n next (after the check passes)');
      const list = current.kind === 'task' ? [`${style.bold('h')} hint`, `${style.bold('c')} check`, `${style.bold('r')} reset`, next] : current.kind === 'action' && !state.done ? [`${style.bold('c')} run again`, next] : [next];
      return style.dim('keys: ') + [...list, `${style.bold('q')} quit`].join(style.dim(' · '));
    };

    const check = async (savedAt?: number) => {
      const task = step() as TaskStep;
      if (state.checking) {
        state.rerunAt = savedAt ?? null;
        return;
      }
      state.checking = true;
      state.logs = [];
      redrawTask();
      session.ctx.savedAt = savedAt;
      const index = state.index;
      const result = await runCheck(task, session.ctx);
      if (index !== state.index) return; // the learner moved on while it ran
      state.checking = false;
      state.last = result;
      store.recordCheck(loaded.number, task.id, result.ok, result.message);
      if (result.ok) {
        state.done = true;
        if (task.loop && savedAt !== undefined) {
          const ms = Date.now() - savedAt;
          session.ctx.recordLoop(task.loop, ms);
          state.notice = `${style.cyan('⏱')} ${task.loop}: ${formatDuration(ms)} from save to passing check.`;
        }
      }
      redrawTask();
      if (state.rerunAt !== undefined) {
        const again = state.rerunAt ?? undefined;
        state.rerunAt = undefined;
        void check(again);
      }
    };

    const runActions = async () => {
      const current = step();
      if (current.kind !== 'action') return;
      const outcomes = await runTasks(current.tasks, session.ctx, session.sink, session.toolbox, out);
      state.done = outcomes.every((o) => o.status !== 'failed');
      if (state.done) store.completeStep(loaded.number, current.id);
      stdout.write(`\n${keys(current)}\n`);
    };

    const enter = async (index: number) => {
      state.stopWatching?.();
      Object.assign(state, { index, done: false, hintsShown: 0, checking: false, rerunAt: undefined, last: null, logs: [], stopWatching: undefined });
      const current = step();
      store.enterStep(loaded.number, current.id);
      if (current.kind === 'task') {
        const skip = await skipReason(session.toolbox, session.ctx, current);
        if (skip) {
          // Nothing to check here (a missing tool or precondition): say why, and let the learner move on.
          state.done = true;
          stdout.write(`${CLEAR}${stepHeading(loaded, index)}\n\n${stepBody(current)}\n\n${style.yellow('↷')} skipped here: ${skip}\n\n${keys(current)}\n`);
          return;
        }
        state.hintsShown = store.step(loaded.number, current.id).hintsShown ?? 0;
        state.stopWatching = watchFiles(options.repoRoot, current.watch, (savedAt) => void check(savedAt));
        await check();
        return;
      }
      const intro = index === 0 ? `${style.bold(`Lab ${loaded.number}: ${loaded.lab.title}`)}\n\n${renderMarkdown(loaded.lab.summary)}\n\n` : '';
      stdout.write(`${CLEAR}${intro}${stepHeading(loaded, index)}\n\n${stepBody(current)}\n`);
      if (current.kind === 'chart') stdout.write(`\n${drawLoopChart(session.ctx.loops(), { names: current.loops })}\n`);
      if (state.notice) stdout.write(`\n${state.notice}\n`);
      state.notice = '';
      if (current.kind === 'action') return runActions();
      state.done = true;
      stdout.write(`\n${keys(current)}\n`);
    };

    const quit = (code: number, message: string) => {
      state.stopWatching?.();
      session.abort.abort();
      store.quit();
      stdin.off('keypress', onKey);
      if (stdin.isTTY) stdin.setRawMode(false);
      stdin.pause();
      stdout.write(`\n${message}\n`);
      finish(code);
    };

    const reset = async (task: TaskStep) => {
      try {
        await restoreFromGit(session.ctx.$, filesOf(task));
        state.notice = `Restored ${filesOf(task).join(', ')} from git.`;
      } catch (error) {
        state.notice = style.red(`Reset failed: ${describeFailure(error).reason}`);
      }
      await check();
    };

    const onKey = (text: string | undefined, key: { name?: string; ctrl?: boolean } | undefined) => {
      const name = key?.name ?? text;
      const current = step();
      if ((key?.ctrl && name === 'c') || name === 'q') {
        return quit(0, `Progress saved in .ffk/labs/progress.json; \`npm run lab:${loaded.number}\` continues at step ${state.index + 1}.`);
      }
      if (name === 'n') {
        if (!state.done) {
          state.notice = style.yellow('Pass the check first (c checks now, h shows a hint).');
          return current.kind === 'task' ? redrawTask() : void stdout.write(`${state.notice}\n`);
        }
        if (current.kind !== 'task') store.completeStep(loaded.number, current.id);
        if (state.index + 1 < steps.length) return void enter(state.index + 1);
        store.completeLab(loaded.number);
        const next = loaded.number + 1;
        return quit(0, style.green(`Lab ${loaded.number} complete. Next: \`npm run lab:${next}\` (\`npm run labs\` lists them all).`));
      }
      if (current.kind === 'action' && name === 'c' && !state.done) return void runActions();
      if (current.kind !== 'task') return;
      if (name === 'c') return void check();
      if (name === 'r') return void reset(current);
      if (name === 'h') {
        if (state.hintsShown < current.hints.length) {
          state.hintsShown += 1;
          store.hintShown(loaded.number, current.id, state.hintsShown);
          state.notice = '';
        } else {
          state.notice = `No more hints: the solution is in ${loaded.dir.split('/').slice(-2).join('/')}/README.md.`;
        }
        redrawTask();
      }
    };

    emitKeypressEvents(stdin);
    if (stdin.isTTY) stdin.setRawMode(true);
    stdin.on('keypress', onKey);
    stdin.resume();

    const start = async () => {
      if (loaded.lab.prepare?.length) {
        stdout.write(`${CLEAR}${style.bold(`Lab ${loaded.number}: ${loaded.lab.title}`)}\n\nBringing the cluster to the state this lab needs:\n`);
        const outcomes = await runTasks(loaded.lab.prepare, session.ctx, session.sink, session.toolbox, out);
        if (outcomes.some((o) => o.status === 'failed')) return quit(1, style.red('Preparing the lab failed (see above); `npm run doctor` checks this machine.'));
      }
      await enter(state.index);
    };
    start().catch((error) => quit(1, style.red(describeFailure(error).reason)));
  });
}
