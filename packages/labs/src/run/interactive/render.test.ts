// The screens the runner draws for given states, as a learner reads them (colours stripped).
import { describe, expect, it } from 'vitest';
import { stripAnsi } from '../../render/style';
import { checked, drive, entered, fixtureLab, key } from '../../testing/memory-lab';
import { renderExit, renderScreen } from './render';
import { screenUpdate } from './screen';
import { type RunnerState, startRunner } from './state';

const screen = (state: RunnerState) => stripAnsi(renderScreen(state));
const start = (index: number) => startRunner(fixtureLab(), index, 0).state;

describe('renderScreen', () => {
  it('draws the first step under the lab title and summary, with its keys last', () => {
    const text = screen(drive(start(-1), entered(0)).state);
    expect(text).toBe(
      ['Lab 1: Greetings', '', 'A lab in memory.', '', 'Lab 1 · step 1/4: Welcome', '', 'This lab changes one word.', '', 'keys: n next · q quit'].join('\n'),
    );
  });

  it('draws an action step’s tasks as they go: finished ones with their time and result, the running one last with its clock', () => {
    const { state } = drive(
      start(1),
      entered(1),
      { type: 'task-started', title: 'Count the files', at: 0 },
      { type: 'task-finished', outcome: { title: 'Count the files', status: 'done', ms: 40, result: '4 files' } },
      { type: 'task-started', title: 'Pick the cluster', at: 1000 },
      { type: 'log', line: 'cluster: offline mode' },
      { type: 'tick', at: 2300 },
    );
    const lines = screen(state).split('\n');
    expect(lines.slice(-3)).toEqual(['✔ Count the files 40 ms · 4 files', '    cluster: offline mode', '⠸ Pick the cluster 1.3 s']);
    expect(screen(state)).not.toContain('keys:');
  });

  it('shows a failed task’s reason and output, and offers to run the tasks again', () => {
    const failed = {
      title: 'Build',
      status: 'failed' as const,
      ms: 2100,
      reason: 'command failed (exit code 3): no space left',
      output: 'building layer 3\nno space left',
    };
    const { state } = drive(start(1), entered(1), { type: 'task-finished', outcome: failed }, { type: 'tasks-finished', ok: false }, key('next'));
    expect(screen(state)).toContain(
      ['✖ Build 2.1 s', '    command failed (exit code 3): no space left', '    │ building layer 3', '    │ no space left'].join('\n'),
    );
    expect(screen(state)).toContain('Its tasks have to succeed first (c runs them again after a failure).');
    expect(screen(state).split('\n').at(-1)).toBe('keys: c run again · n next (after the check passes) · q quit');
  });

  it('draws a task step: what is watched, revealed hints, the check result with its output, the notice and the keys', () => {
    const { state } = drive(start(2), entered(2), key('hint'), checked(2, false, { output: 'line 1\nline 2' }), key('next'));
    expect(screen(state)).toBe(
      [
        'Lab 1 · step 3/4: Say hello',
        '',
        'Make greeting.txt say hello.',
        '',
        'Watching greeting.txt: save to re-check.',
        '',
        'Hint 1/2: Open greeting.txt.',
        '',
        '✖ Not yet: greeting.txt says bye world 12 ms',
        '    │ line 1',
        '    │ line 2',
        '',
        'Pass the check first (c checks now, h shows a hint).',
        '',
        'keys: h hint · c check · r reset · n next (after the check passes) · q quit',
      ].join('\n'),
    );
  });

  it('shows a running check and the lines it logs, then a passing one with the measured loop', () => {
    const checking = drive(start(2), entered(2), { type: 'log', line: 'waiting for the storefront' }).state;
    expect(screen(checking)).toContain('⠿ checking…\n    waiting for the storefront');
    const passed = drive(checking, checked(2, true, { savedAt: 0, at: 230 })).state;
    expect(screen(passed)).toContain('✔ Check passed: greeting.txt says hello 12 ms');
    expect(screen(passed)).toContain('⏱ edit+check: 230 ms from save to passing check.');
    expect(screen(passed).split('\n').at(-1)).toBe('keys: h hint · c check · r reset · n next · q quit');
  });

  it('says why a task step is skipped here, and offers only n and q', () => {
    const text = screen(drive(start(2), entered(2, 'needs docker: the docker command is not installed')).state);
    expect(text).toContain('↷ skipped here: needs docker: the docker command is not installed');
    expect(text).not.toContain('Watching');
    expect(text.split('\n').at(-1)).toBe('keys: n next · q quit');
  });

  it('points at the README once the hints are used up, and names the files a reset restored', () => {
    const used = drive(start(2), entered(2), key('hint'), key('hint'), key('hint')).state;
    expect(screen(used)).toContain('No more hints: the solution is in labs/01-greetings/README.md.');
    const restored = drive(used, { type: 'restored', index: 2, files: ['greeting.txt'] }).state;
    expect(screen(restored)).toContain('Restored greeting.txt from git.');
  });

  it('draws the prepare tasks under the lab title, and the resume notice on the first screen', () => {
    const prepared = startRunner(fixtureLab({ prepare: [{ title: 'Cluster up', run: async () => {} }] }), 2, 0).state;
    const running = drive(prepared, { type: 'task-started', title: 'Cluster up', at: 0 }).state;
    expect(screen(running)).toBe(['Lab 1: Greetings', '', 'Bringing the cluster to the state this lab needs:', '⠋ Cluster up 0 ms'].join('\n'));
    const resumed = drive(running, { type: 'tasks-finished', ok: true }, entered(2)).state;
    expect(screen(resumed)).toContain('Resumed at step 3 (`npm run lab:reset -- 1` starts over).');
  });

  it('draws the chart step with the loops measured so far', () => {
    const loops = [{ name: 'edit+check', ms: 230, at: '2026-01-01T00:00:00Z' }];
    const text = screen(drive(start(3), { type: 'entered', index: 3, skip: null, hintsShown: 0, loops }).state);
    expect(text).toContain('edit+check');
    expect(text).toContain('230 ms');
  });
});

describe('renderExit', () => {
  it('says where progress is and how to continue, or what comes next', () => {
    const state = drive(start(2), entered(2)).state;
    expect(stripAnsi(renderExit(state, { code: 0, kind: 'quit' }))).toBe('Progress saved in .ffk/labs/progress.json; `npm run lab:1` continues at step 3.');
    expect(stripAnsi(renderExit(state, { code: 0, kind: 'complete' }))).toBe('Lab 1 complete. Next: `npm run lab:2` (`npm run labs` lists them all).');
    expect(stripAnsi(renderExit(state, { code: 1, kind: 'prepare-failed' }))).toContain('`npm run doctor` checks this machine');
  });
});

describe('screenUpdate', () => {
  it('clears and draws the first screen and any screen that changed above its last line', () => {
    expect(screenUpdate(null, 'a\nb')).toBe('\x1b[2J\x1b[3J\x1b[Ha\nb');
    expect(screenUpdate('a\nb\nkeys', 'a\nchanged\nkeys')).toBe('\x1b[2J\x1b[3J\x1b[Ha\nchanged\nkeys');
  });

  it('rewrites only from the last line when that is all that changed (a spinner, a task finishing below)', () => {
    expect(screenUpdate('a\n⠋ task 0 ms', 'a\n⠙ task 100 ms', 80)).toBe('\r\x1b[J⠙ task 100 ms');
    expect(screenUpdate('a\n⠋ task 0 ms', 'a\n✔ task 0.2 s\n⠋ next 0 ms', 80)).toBe('\r\x1b[J✔ task 0.2 s\n⠋ next 0 ms');
  });

  it('goes up to the first row of a last line that wrapped, so it is not written twice', () => {
    const long = `↷ Build the images ${'x'.repeat(30)}`; // 49 columns: 3 rows at 20, exactly 1 at 49
    expect(screenUpdate(`a\n${long}`, `a\n${long}\n↷ Load`, 20)).toBe(`\x1b[2A\r\x1b[J${long}\n↷ Load`);
    expect(screenUpdate(`a\n${long}`, `a\n${long}\n↷ Load`, 49)).toBe(`\r\x1b[J${long}\n↷ Load`);
  });
});
