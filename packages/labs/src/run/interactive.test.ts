// Drives the interactive runner in a real terminal (a pseudo-terminal from util-linux's
// `script`, rendered by xterm) as a learner would: keys, a file save, quitting; then reads the
// progress file it left behind.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type StartedTerminal, startTerminal } from '@ffk/test-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Progress } from '../state/progress';
import { CLI, createFixtureRepo, type FixtureRepo } from '../testing/fixture-repo';
import { TSX_CLI } from '../testing/run-cli';

describe('interactive runner in a terminal', () => {
  let repo: FixtureRepo;
  let lab: StartedTerminal | undefined;
  beforeAll(async () => {
    repo = await createFixtureRepo();
  });
  afterAll(async () => {
    await lab?.stop();
    repo?.cleanup();
  });

  it('shows text fast, reveals a hint on h, re-checks on save, resets on r, and records progress on q', async () => {
    const started = Date.now();
    const { CI: _ci, ...env } = process.env;
    const command = `NO_COLOR=1 "$0" "$1" "$2" lab 1 --repo "$3"; echo EXITED:$?; sleep 60`;
    lab = startTerminal('sh', ['-c', command, process.execPath, TSX_CLI, CLI, repo.root], { cols: 120, rows: 40, env });
    const { waitForScreen, screen } = lab;

    await waitForScreen((s) => s.includes('This lab changes one word') && s.includes('keys: n next · q quit'), 'the first step');
    const firstText = Date.now() - started;
    console.log(`first step on screen after ${firstText} ms`);
    // ~1.5 s on a quiet machine; the bound only catches text that waits for cluster work (which
    // takes far longer), with room for a CI machine running two packages' tests on 2 cores.
    expect(firstText).toBeLessThan(15_000);

    lab.type('n');
    await waitForScreen((s) => s.includes('✔ Count the files') && s.includes('4 files') && s.includes('keys:'), 'the action step');

    lab.type('n');
    await waitForScreen((s) => s.includes('✖ Not yet: greeting.txt says bye world'), 'the failing check');
    expect(screen()).toContain('keys: h hint · c check · r reset · n next (after the check passes) · q quit');
    expect(screen()).not.toContain('Hint 1/2');

    lab.type('h');
    const withHint = await waitForScreen((s) => s.includes('Hint 1/2: Open greeting.txt.'), 'the first hint');
    expect(withHint).not.toContain('Hint 2/2');

    lab.type('n');
    await waitForScreen((s) => s.includes('Pass the check first'), 'the refusal to move on');

    writeFileSync(join(repo.root, 'greeting.txt'), 'so long world\n');
    await waitForScreen((s) => s.includes('✖ Not yet: greeting.txt says so long world'), 'a re-check after a save');
    lab.type('r');
    await waitForScreen((s) => s.includes('Restored greeting.txt from git.') && s.includes('says bye world'), 'the reset');
    expect(readFileSync(join(repo.root, 'greeting.txt'), 'utf8')).toBe('bye world\n');

    writeFileSync(join(repo.root, 'greeting.txt'), 'hello world\n');
    const passed = await waitForScreen((s) => s.includes('✔ Check passed: greeting.txt says hello'), 'the passing re-check');
    expect(passed).toMatch(/⏱ edit\+check: \d+ ms from save to passing check/);
    expect(passed).toContain('keys: h hint · c check · r reset · n next · q quit');

    lab.type('q');
    await waitForScreen((s) => s.includes('EXITED:0'), 'the runner to exit');
    expect(screen()).toContain('`npm run lab:1` continues at step 3');

    const progress = JSON.parse(readFileSync(join(repo.root, '.ffk', 'labs', 'progress.json'), 'utf8')) as Progress;
    expect(progress.current).toMatchObject({ lab: 1, step: 'say-hello' });
    expect(progress.lastQuitAt).toEqual(expect.any(String));
    expect(progress.labs['1'].steps['say-hello']).toMatchObject({ hintsShown: 1, lastCheck: { ok: true } });
    expect(progress.labs['1'].steps['say-hello'].completedAt).toEqual(expect.any(String));
    expect(progress.labs['1'].steps.welcome.completedAt).toEqual(expect.any(String));
    expect(progress.loops).toEqual([expect.objectContaining({ name: 'edit+check', lab: 1 })]);
  });
});
