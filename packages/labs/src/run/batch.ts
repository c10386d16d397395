// Non-interactive runs: `lab N --ci` (no TTY, CI set, or --ci) and `verify`. Learner steps are
// solved by applying their solutions, checks run once, every applied solution is reverted at the
// end, and each check becomes a row of the table. Verify also demands that every check FAILS as
// shipped, so a check that cannot fail is caught.
import { applyEdits, changedFromGit, restoreSnapshot, type Snapshot, snapshotFiles } from '../files/edits';
import { drawLoopChart } from '../loops/chart';
import { filesOf } from '../model/define';
import type { ActionTask, LoadedLab, TaskStep } from '../model/types';
import { README_COMMAND, readmeIsFresh } from '../readme/generate';
import { formatDuration } from '../render/duration';
import { renderMarkdown } from '../render/markdown';
import { style } from '../render/style';
import { describeFailure, outputTail } from '../shell/shell';
import { ProgressStore } from '../state/progress';
import { type Output, printTaskProgress, runTasks, type TaskOutcome, type TaskProgress } from './actions';
import { runCheck } from './check';
import type { CheckRow } from './report';
import { openSession, type Session, stepBody, stepHeading } from './session';
import { skipReason } from './skip';

export interface BatchOptions {
  repoRoot: string;
  out: Output;
  offline: boolean;
  /** verify: checks must fail before the solution; READMEs must be fresh; step text is not printed. */
  verify: boolean;
}

/** One non-interactive run of a lab: its rows so far, the solutions applied, the failure that blocks the rest. */
interface BatchRun {
  session: Session;
  options: BatchOptions;
  printer: TaskProgress;
  rows: CheckRow[];
  snapshots: Snapshot[];
  blocked: string | null;
}

export async function runLabBatch(loaded: LoadedLab, options: BatchOptions): Promise<CheckRow[]> {
  const session = openSession(loaded, { repoRoot: options.repoRoot, store: new ProgressStore(null), mode: 'ci', offline: options.offline, out: options.out });
  const { out } = session;
  const run: BatchRun = { session, options, printer: printTaskProgress(out), rows: [], snapshots: [], blocked: null };
  out.write(`\n${style.bold(`Lab ${loaded.number}: ${loaded.lab.title}`)}\n`);
  if (!options.verify) out.write(`${renderMarkdown(loaded.lab.summary)}\n`);
  if (options.verify) {
    const fresh = readmeIsFresh(loaded);
    row(run, 'README.md', fresh ? 'pass' : 'FAIL', null, fresh ? 'matches lab.ts' : `stale or missing: run \`${README_COMMAND}\` and commit it`);
  }
  // Interrupted (Ctrl-C, a CI timeout): the learner's files must not keep a solution.
  const onSignal = (signal: NodeJS.Signals) => {
    revert(run);
    out.write(`\nInterrupted by ${signal}: solutions reverted.\n`);
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    if (loaded.lab.prepare?.length) {
      out.write(`${style.bold('Preparing the cluster for this lab')}\n`);
      const failed = await runTaskRows(run, 'prepare', loaded.lab.prepare);
      if (failed) run.blocked = `preparing the lab failed ("${failed.title}")`;
    }
    for (const index of loaded.lab.steps.keys()) await runStep(run, index);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    const reverted = run.snapshots.length;
    revert(run);
    if (reverted) out.write(style.dim(`\nReverted the solutions of ${reverted} step(s).\n`));
  }
  return run.rows;
}

function row(run: BatchRun, step: string, result: CheckRow['result'], ms: number | null, reason: string): void {
  run.rows.push({ lab: run.session.loaded.number, step, result, ms, reason });
}

/** Newest first, so a file edited by two steps ends as it was shipped. */
function revert(run: BatchRun): void {
  for (const snapshot of run.snapshots.splice(0).reverse()) restoreSnapshot(snapshot);
}

/** Runs tasks and adds a row for each; the first failed one, if any. */
async function runTaskRows(run: BatchRun, prefix: string, tasks: ActionTask[]): Promise<TaskOutcome | undefined> {
  const { session } = run;
  const outcomes = await runTasks(tasks, session.ctx, session.sink, session.toolbox, run.printer);
  for (const o of outcomes)
    row(
      run,
      `${prefix} › ${o.title}`,
      o.status === 'done' ? 'pass' : o.status === 'failed' ? 'FAIL' : 'skipped',
      o.status === 'skipped' ? null : o.ms,
      o.reason ?? 'done',
    );
  return outcomes.find((o) => o.status === 'failed');
}

async function runStep(run: BatchRun, index: number): Promise<void> {
  const { session, options } = run;
  const { loaded, out } = session;
  const step = loaded.lab.steps[index];
  const label = `${index + 1}. ${step.title}`;
  out.write(`\n${stepHeading(loaded, index)}\n`);
  if (!options.verify && step.kind !== 'task') {
    const body = stepBody(step);
    if (body) out.write(`${body}\n`);
  }
  if (step.kind === 'action') {
    if (run.blocked) {
      for (const task of step.tasks) row(run, `${label} › ${task.title}`, 'skipped', null, `not run: ${run.blocked}`);
      return;
    }
    if (await runTaskRows(run, label, step.tasks)) run.blocked = `step ${label} failed`;
  }
  if (step.kind === 'chart' && !options.verify) out.write(`\n${drawLoopChart(session.ctx.loops(), { names: step.loops })}\n`);
  if (step.kind === 'task') await runTaskStep(run, step, label);
}

async function runTaskStep(run: BatchRun, step: TaskStep, label: string): Promise<void> {
  const { session } = run;
  const skip = run.blocked ? `not run: ${run.blocked}` : await skipReason(session.toolbox, session.ctx, step);
  if (skip) {
    session.out.write(`${style.yellow('↷')} skipped: ${skip}\n`);
    return row(run, label, 'skipped', null, skip);
  }
  const result = await solveTask(session, step, run.options, run.snapshots);
  session.out.write(`${result.ok ? style.green('✔') : style.red('✖')} ${result.reason} ${style.dim(formatDuration(result.ms))}\n`);
  if (result.output) session.out.write(`${outputTail(result.output)}\n`);
  row(run, label, result.ok ? 'pass' : 'FAIL', result.ms, result.reason);
  if (!result.ok) run.blocked = `step ${label} failed`;
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
    if (changed.length)
      return { ok: false, ms: 0, reason: `${changed.join(', ')} differs from the commit: run \`npm run lab:reset -- ${loaded.number}\` first` };
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
