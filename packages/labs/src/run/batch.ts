// Non-interactive runs: `lab N --ci` (no TTY, CI set, or --ci) and `verify`. Learner steps are
// solved by applying their solutions, checks run once, every applied solution is reverted at the
// end, and each check becomes a row of the table. Verify also demands that every check FAILS as
// shipped, so a check that cannot fail is caught.
import { filesOf } from '../model/define';
import type { LoadedLab, TaskStep } from '../model/types';
import { drawLoopChart } from '../loops/chart';
import { renderMarkdown } from '../render/markdown';
import { formatDuration } from '../render/duration';
import { style } from '../render/style';
import { applyEdits, changedFromGit, restoreSnapshot, snapshotFiles, type Snapshot } from '../files/edits';
import { readmeIsFresh, README_COMMAND } from '../readme/generate';
import { describeFailure, outputTail } from '../shell/shell';
import { ProgressStore } from '../state/progress';
import { printTaskProgress, runTasks, type Output, type TaskOutcome } from './actions';
import { runCheck } from './check';
import { skipReason } from './skip';
import type { CheckRow } from './report';
import { openSession, stepBody, stepHeading, type Session } from './session';

export interface BatchOptions {
  repoRoot: string;
  out: Output;
  offline: boolean;
  /** verify: checks must fail before the solution; READMEs must be fresh; step text is not printed. */
  verify: boolean;
}

export async function runLabBatch(loaded: LoadedLab, options: BatchOptions): Promise<CheckRow[]> {
  const session = openSession(loaded, { repoRoot: options.repoRoot, store: new ProgressStore(null), mode: 'ci', offline: options.offline, out: options.out });
  const { out } = session;
  const printer = printTaskProgress(out);
  const rows: CheckRow[] = [];
  const row = (step: string, result: CheckRow['result'], ms: number | null, reason: string) => rows.push({ lab: loaded.number, step, result, ms, reason });
  out.write(`\n${style.bold(`Lab ${loaded.number}: ${loaded.lab.title}`)}\n`);
  if (!options.verify) out.write(`${renderMarkdown(loaded.lab.summary)}\n`);

  if (options.verify) {
    const fresh = readmeIsFresh(loaded);
    row('README.md', fresh ? 'pass' : 'FAIL', null, fresh ? 'matches lab.ts' : `stale or missing: run \`${README_COMMAND}\` and commit it`);
  }

  const toRows = (prefix: string, outcomes: TaskOutcome[]) => {
    for (const o of outcomes) row(`${prefix} › ${o.title}`, o.status === 'done' ? 'pass' : o.status === 'failed' ? 'FAIL' : 'skipped', o.status === 'skipped' ? null : o.ms, o.reason ?? 'done');
    return outcomes.find((o) => o.status === 'failed');
  };

  const snapshots: Snapshot[] = [];
  const revert = () => {
    // Newest first, so a file edited by two steps ends as it was shipped.
    for (const snapshot of snapshots.splice(0).reverse()) restoreSnapshot(snapshot);
  };
  // Interrupted (Ctrl-C, a CI timeout): the learner's files must not keep a solution.
  const onSignal = (signal: NodeJS.Signals) => {
    revert();
    out.write(`\nInterrupted by ${signal}: solutions reverted.\n`);
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  let blocked: string | null = null;
  try {
    if (loaded.lab.prepare?.length) {
      out.write(`${style.bold('Preparing the cluster for this lab')}\n`);
      const failed = toRows('prepare', await runTasks(loaded.lab.prepare, session.ctx, session.sink, session.toolbox, printer));
      if (failed) blocked = `preparing the lab failed ("${failed.title}")`;
    }
    for (const [index, step] of loaded.lab.steps.entries()) {
      const label = `${index + 1}. ${step.title}`;
      out.write(`\n${stepHeading(loaded, index)}\n`);
      if (!options.verify && step.kind !== 'task') {
        const body = stepBody(step);
        if (body) out.write(`${body}\n`);
      }
      if (step.kind === 'action') {
        if (blocked) {
          for (const task of step.tasks) row(`${label} › ${task.title}`, 'skipped', null, `not run: ${blocked}`);
          continue;
        }
        const failed = toRows(label, await runTasks(step.tasks, session.ctx, session.sink, session.toolbox, printer));
        if (failed) blocked = `step ${label} failed`;
      }
      if (step.kind === 'chart' && !options.verify) out.write(`\n${drawLoopChart(session.ctx.loops(), { names: step.loops })}\n`);
      if (step.kind === 'task') {
        const skip = blocked ? `not run: ${blocked}` : await skipReason(session.toolbox, session.ctx, step);
        if (skip) {
          out.write(`${style.yellow('↷')} skipped: ${skip}\n`);
          row(label, 'skipped', null, skip);
          continue;
        }
        const result = await solveTask(session, step, options, snapshots);
        out.write(`${result.ok ? style.green('✔') : style.red('✖')} ${result.reason} ${style.dim(formatDuration(result.ms))}\n`);
        if (result.output) out.write(`${outputTail(result.output)}\n`);
        row(label, result.ok ? 'pass' : 'FAIL', result.ms, result.reason);
        if (!result.ok) blocked = `step ${label} failed`;
      }
    }
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    const reverted = snapshots.length;
    revert();
    if (reverted) out.write(style.dim(`\nReverted the solutions of ${reverted} step(s).\n`));
  }
  return rows;
}

interface TaskResult {
  ok: boolean;
  reason: string;
  ms: number;
  output?: string;
}

async function solveTask(session: Session, step: TaskStep, options: BatchOptions, snapshots: Snapshot[]): Promise<TaskResult> {
  const { ctx, loaded } = session;
  const files = filesOf(step);
  let asShipped = '';
  if (options.verify) {
    const changed = await changedFromGit(ctx.$, files);
    if (changed.length) return { ok: false, ms: 0, reason: `${changed.join(', ')} differs from the commit: run \`npm run lab:reset -- ${loaded.number}\` first` };
    const before = await runCheck(step, ctx);
    if (before.ok) return { ok: false, ms: before.ms, reason: `passes as shipped ("${before.message}"): the check must fail until the learner's change` };
    asShipped = `fails as shipped, `;
  }
  snapshots.push(snapshotFiles(options.repoRoot, files));
  try {
    applyEdits(options.repoRoot, step.solution.edits);
  } catch (error) {
    return { ok: false, ms: 0, reason: describeFailure(error).reason };
  }
  ctx.savedAt = Date.now();
  const after = await runCheck(step, ctx);
  if (after.ok && step.loop) ctx.recordLoop(step.loop, Date.now() - ctx.savedAt);
  delete ctx.savedAt;
  return {
    ok: after.ok,
    ms: after.ms,
    reason: after.ok ? `${asShipped}passes with the solution: ${after.message}` : `fails with the solution applied: ${after.message}`,
    ...(after.output ? { output: after.output } : {}),
  };
}
