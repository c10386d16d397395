// Each event against a state, and the state and work that follow: the runner's behaviour without a terminal.
import { describe, expect, it } from 'vitest';
import { checked, drive, entered, fixtureLab, key } from '../../testing/memory-lab';
import { type RunnerState, startRunner, update } from './state';

const TEXT = 0;
const ACTION = 1;
const TASK = 2;
const CHART = 3;

/** The lab started and step `index` entered, as after `entered` (a task step's first check is running). */
function at(index: number): RunnerState {
  const { state } = startRunner(fixtureLab(), index, 0);
  return update(state, entered(index)).state;
}

describe('starting', () => {
  it('enters the first step, or prepares the cluster first when the lab has prepare tasks', () => {
    expect(startRunner(fixtureLab(), -1, 0)).toMatchObject({ state: { phase: 'entering', index: 0, notice: null }, effects: [{ type: 'enter', index: 0 }] });
    const prepared = startRunner(fixtureLab({ prepare: [{ title: 'Cluster up', run: async () => {} }] }), -1, 0);
    expect(prepared).toMatchObject({ state: { phase: 'preparing' }, effects: [{ type: 'prepare' }] });
  });

  it('resumes at the step left, and says how to start over', () => {
    expect(startRunner(fixtureLab(), TASK, 0)).toMatchObject({
      state: { index: TASK, notice: { kind: 'resumed', step: TASK } },
      effects: [{ type: 'enter', index: TASK }],
    });
  });

  it('enters the step once the prepare tasks succeeded, and exits with 1 when one failed', () => {
    const { state } = startRunner(fixtureLab({ prepare: [{ title: 'Cluster up', run: async () => {} }] }), -1, 0);
    expect(update(state, { type: 'tasks-finished', ok: true })).toMatchObject({ state: { phase: 'entering' }, effects: [{ type: 'enter', index: 0 }] });
    expect(update(state, { type: 'tasks-finished', ok: false })).toMatchObject({ state: { exit: { code: 1, kind: 'prepare-failed' } }, effects: [] });
  });

  it('ignores keys other than quit while preparing', () => {
    const { state } = startRunner(fixtureLab({ prepare: [{ title: 'Cluster up', run: async () => {} }] }), -1, 0);
    expect(drive(state, key('next'), key('check'), key('hint'))).toEqual({ state, effects: [] });
    expect(update(state, key('quit')).state.exit).toEqual({ code: 0, kind: 'quit' });
  });
});

describe('a text step', () => {
  it('is done once shown; n completes it and enters the next step', () => {
    const state = at(TEXT);
    expect(state).toMatchObject({ phase: 'ready', done: true });
    expect(update(state, key('next'))).toMatchObject({
      state: { index: ACTION, phase: 'entering', done: false },
      effects: [
        { type: 'complete-step', step: 'welcome' },
        { type: 'enter', index: ACTION },
      ],
    });
  });
});

describe('an action step', () => {
  it('runs its tasks on entering and shows them as they go, the running one with its clock', () => {
    const { state, effects } = drive(
      at(TEXT),
      key('next'),
      entered(ACTION),
      { type: 'task-started', title: 'Count the files', at: 1000 },
      { type: 'log', line: 'git ls-files' },
      { type: 'tick', at: 1300 },
    );
    expect(effects).toContainEqual({ type: 'run-actions', index: ACTION });
    expect(state).toMatchObject({
      phase: 'working',
      done: false,
      running: { title: 'Count the files', startedAt: 1000 },
      now: 1300,
      feed: [{ kind: 'log', line: 'git ls-files' }],
    });
  });

  it('refuses n while its tasks run, and is done (and completed) when they succeeded', () => {
    const working = drive(at(TEXT), key('next'), entered(ACTION)).state;
    expect(update(working, key('next'))).toMatchObject({ state: { index: ACTION, notice: { kind: 'not-done' } }, effects: [] });
    const outcome = { title: 'Count the files', status: 'done' as const, ms: 40, result: '4 files' };
    const { state, effects } = drive(working, key('next'), { type: 'task-finished', outcome }, { type: 'tasks-finished', ok: true });
    expect(state).toMatchObject({ phase: 'ready', done: true, running: null, notice: null, feed: [{ kind: 'task', outcome }] });
    expect(effects).toEqual([{ type: 'complete-step', step: 'warm-up' }]);
  });

  it('runs its tasks again on c after one failed (showing the new run only), and not while they run', () => {
    const working = drive(at(TEXT), key('next'), entered(ACTION)).state;
    expect(update(working, key('check')).effects).toEqual([]);
    const outcome = { title: 'Count the files', status: 'failed' as const, ms: 40, reason: 'git: not a repository' };
    const failed = drive(working, { type: 'task-finished', outcome }, { type: 'tasks-finished', ok: false }).state;
    expect(failed).toMatchObject({ phase: 'ready', done: false, feed: [{ kind: 'task', outcome }] });
    expect(update(failed, key('check'))).toMatchObject({ state: { phase: 'working', feed: [] }, effects: [{ type: 'run-actions', index: ACTION }] });
  });
});

describe('a task step', () => {
  it('watches its files and checks at once on entering', () => {
    const { state, effects } = drive(startRunner(fixtureLab(), TASK, 0).state, entered(TASK));
    expect(effects).toEqual([
      { type: 'watch', index: TASK, files: ['greeting.txt'] },
      { type: 'check', index: TASK, savedAt: undefined },
    ]);
    expect(state).toMatchObject({ phase: 'ready', done: false, check: { running: true, last: null } });
  });

  it('keeps a failed check and records it; the step stays not done and n refuses', () => {
    const { state, effects } = drive(at(TASK), checked(TASK, false), key('next'));
    expect(state).toMatchObject({ done: false, check: { running: false, last: { ok: false } }, notice: { kind: 'not-done' } });
    expect(effects).toEqual([{ type: 'record-check', step: 'say-hello', ok: false, message: 'greeting.txt says bye world' }]);
  });

  it('a save re-checks with the time of the save; a passing check after a save measures the loop', () => {
    const failed = drive(at(TASK), checked(TASK, false)).state;
    const saved = update(failed, { type: 'saved', index: TASK, at: 5000 });
    expect(saved.effects).toEqual([{ type: 'check', index: TASK, savedAt: 5000 }]);
    const passed = update(saved.state, checked(TASK, true, { savedAt: 5000, at: 5230 }));
    expect(passed.state).toMatchObject({ done: true, check: { running: false, last: { ok: true } }, notice: { kind: 'loop', name: 'edit+check', ms: 230 } });
    expect(passed.effects).toEqual([
      { type: 'record-check', step: 'say-hello', ok: true, message: 'greeting.txt says hello' },
      { type: 'record-loop', name: 'edit+check', ms: 230 },
    ]);
  });

  it('a save while a check runs queues one re-check, with the newest request, after it', () => {
    const { state, effects } = drive(at(TASK), { type: 'saved', index: TASK, at: 100 }, { type: 'saved', index: TASK, at: 200 });
    expect(effects).toEqual([]);
    expect(state.check.queued).toEqual({ savedAt: 200 });
    const after = update(state, checked(TASK, false));
    expect(after.effects).toContainEqual({ type: 'check', index: TASK, savedAt: 200 });
    expect(after.state.check).toMatchObject({ running: true, queued: null, last: { ok: false } });
  });

  it('c checks now, without a save time, so no loop is measured; passing clears the refusal to move on', () => {
    const failed = drive(at(TASK), checked(TASK, false), key('next')).state;
    expect(failed.notice).toEqual({ kind: 'not-done' });
    const { state, effects } = drive(failed, key('check'), checked(TASK, true));
    expect(effects).toContainEqual({ type: 'check', index: TASK, savedAt: undefined });
    expect(effects.map((e) => e.type)).not.toContain('record-loop');
    expect(state).toMatchObject({ done: true, notice: null });
  });

  it('clears the log of the previous check when a check starts', () => {
    const logged = drive(at(TASK), { type: 'log', line: 'waiting for the storefront' }).state;
    expect(logged.logs).toEqual(['waiting for the storefront']);
    expect(drive(logged, checked(TASK, false), key('check')).state.logs).toEqual([]);
  });

  it('h reveals one hint at a time and records it, then points at the solution', () => {
    const { state, effects } = drive(at(TASK), key('hint'), key('hint'));
    expect(state.hintsShown).toBe(2);
    expect(effects).toEqual([
      { type: 'hint-shown', step: 'say-hello', count: 1 },
      { type: 'hint-shown', step: 'say-hello', count: 2 },
    ]);
    expect(update(state, key('hint'))).toMatchObject({ state: { hintsShown: 2, notice: { kind: 'no-more-hints' } }, effects: [] });
  });

  it('r restores the step’s files from git, then says so and checks again', () => {
    const failed = drive(at(TASK), checked(TASK, false)).state;
    expect(update(failed, key('reset')).effects).toEqual([{ type: 'restore', index: TASK, files: ['greeting.txt'] }]);
    const restored = update(failed, { type: 'restored', index: TASK, files: ['greeting.txt'] });
    expect(restored).toMatchObject({ state: { notice: { kind: 'restored', files: ['greeting.txt'] } }, effects: [{ type: 'check', index: TASK }] });
    const broken = update(failed, { type: 'restored', index: TASK, files: ['greeting.txt'], error: 'not a git repository' });
    expect(broken.state.notice).toEqual({ kind: 'reset-failed', reason: 'not a git repository' });
  });

  it('n after passing enters the next step without completing this one again; the measured loop stays in view', () => {
    const passed = drive(at(TASK), checked(TASK, true, { savedAt: 0, at: 300 })).state;
    expect(update(passed, key('next'))).toMatchObject({
      state: { index: CHART, phase: 'entering', check: { last: null }, notice: { kind: 'loop', ms: 300 } },
      effects: [{ type: 'enter', index: CHART }],
    });
  });

  it('ignores the result of a check of a step the learner has left, and saves of its files', () => {
    const left = drive(at(TASK), checked(TASK, true), key('next')).state;
    expect(drive(left, checked(TASK, false), { type: 'saved', index: TASK, at: 1 })).toEqual({ state: left, effects: [] });
  });

  it('when skipped here: says why, is done without a check, and takes only n and q', () => {
    const { state, effects } = drive(startRunner(fixtureLab(), TASK, 0).state, entered(TASK, 'needs docker: not installed'));
    expect(effects).toEqual([]);
    expect(state).toMatchObject({ skip: 'needs docker: not installed', done: true });
    expect(drive(state, key('check'), key('hint'), key('reset'), { type: 'saved', index: TASK, at: 1 })).toEqual({ state, effects: [] });
    expect(update(state, key('next')).effects).toEqual([{ type: 'enter', index: CHART }]);
  });
});

describe('the end', () => {
  it('n on the last step completes it and the lab, and exits with 0', () => {
    const last = update(startRunner(fixtureLab(), CHART, 0).state, {
      type: 'entered',
      index: CHART,
      skip: null,
      hintsShown: 0,
      loops: [{ name: 'edit+check', ms: 300, at: '' }],
    }).state;
    expect(last.loops).toHaveLength(1);
    expect(update(last, key('next'))).toEqual({
      state: { ...last, exit: { code: 0, kind: 'complete' } },
      effects: [{ type: 'complete-step', step: 'your-loops' }, { type: 'complete-lab' }],
    });
  });

  it('q quits from anywhere, even while a check runs; nothing changes after the exit', () => {
    const quit = update(at(TASK), key('quit')).state;
    expect(quit.exit).toEqual({ code: 0, kind: 'quit' });
    expect(drive(quit, checked(TASK, true), key('next'))).toEqual({ state: quit, effects: [] });
  });

  it('exits with 1 and the reason when work the runner started crashed', () => {
    expect(update(at(TEXT), { type: 'crashed', reason: 'lab.ts threw' }).state.exit).toEqual({ code: 1, kind: 'crashed', reason: 'lab.ts threw' });
  });
});
