// Drives the interactive runner in a real terminal (tmux) as a learner would: keys, a file save,
// quitting; then reads the progress file it left behind.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commandSucceeds } from '../testing/command';
import { createFixtureRepo, CLI, type FixtureRepo } from '../testing/fixture-repo';
import { TSX_CLI } from '../testing/run-cli';

const hasTmux = commandSucceeds('tmux', ['-V']);
if (!hasTmux) console.warn('interactive runner test skipped: tmux is not installed (apt-get install -y tmux)');

const socket = `ffk-labs-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
const tmux = (...args: string[]) => execFileSync('tmux', ['-L', socket, ...args], { encoding: 'utf8' });
const screen = () => tmux('capture-pane', '-p', '-t', 'lab');

async function waitForScreen(predicate: (text: string) => boolean, what: string, timeoutMs = 10_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let text = '';
  while (Date.now() < deadline) {
    text = screen();
    if (predicate(text)) return text;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out waiting for ${what}; the screen shows:\n${text}`);
}

describe.skipIf(!hasTmux)('interactive runner in a terminal', () => {
  let repo: FixtureRepo;
  beforeAll(async () => {
    repo = await createFixtureRepo();
  });
  afterAll(() => {
    try {
      tmux('kill-server');
    } catch {
      // already gone
    }
    repo?.cleanup();
  });

  it('shows text fast, reveals a hint on h, re-checks on save, resets on r, and records progress on q', async () => {
    const started = Date.now();
    const command = `env -u CI NO_COLOR=1 ${process.execPath} ${TSX_CLI} ${CLI} lab 1 --repo ${repo.root}; echo EXITED:$?; sleep 60`;
    tmux('new-session', '-d', '-s', 'lab', '-x', '120', '-y', '40', command);

    await waitForScreen((s) => s.includes('This lab changes one word') && s.includes('keys: n next · q quit'), 'the first step');
    const firstText = Date.now() - started;
    console.log(`first step on screen after ${firstText} ms`);
    expect(firstText).toBeLessThan(5000);

    tmux('send-keys', '-t', 'lab', 'n');
    await waitForScreen((s) => s.includes('✔ Count the files') && s.includes('4 files') && s.includes('keys:'), 'the action step');

    tmux('send-keys', '-t', 'lab', 'n');
    await waitForScreen((s) => s.includes('✖ Not yet: greeting.txt says bye world'), 'the failing check');
    expect(screen()).toContain('keys: h hint · c check · r reset · n next (after the check passes) · q quit');
    expect(screen()).not.toContain('Hint 1/2');

    tmux('send-keys', '-t', 'lab', 'h');
    const withHint = await waitForScreen((s) => s.includes('Hint 1/2: Open greeting.txt.'), 'the first hint');
    expect(withHint).not.toContain('Hint 2/2');

    tmux('send-keys', '-t', 'lab', 'n');
    await waitForScreen((s) => s.includes('Pass the check first'), 'the refusal to move on');

    writeFileSync(join(repo.root, 'greeting.txt'), 'so long world\n');
    await waitForScreen((s) => s.includes('✖ Not yet: greeting.txt says so long world'), 'a re-check after a save');
    tmux('send-keys', '-t', 'lab', 'r');
    await waitForScreen((s) => s.includes('Restored greeting.txt from git.') && s.includes('says bye world'), 'the reset');
    expect(readFileSync(join(repo.root, 'greeting.txt'), 'utf8')).toBe('bye world\n');

    writeFileSync(join(repo.root, 'greeting.txt'), 'hello world\n');
    const passed = await waitForScreen((s) => s.includes('✔ Check passed: greeting.txt says hello'), 'the passing re-check');
    expect(passed).toMatch(/⏱ edit\+check: \d+ ms from save to passing check/);
    expect(passed).toContain('keys: h hint · c check · r reset · n next · q quit');

    tmux('send-keys', '-t', 'lab', 'q');
    await waitForScreen((s) => s.includes('EXITED:0'), 'the runner to exit');
    expect(screen()).toContain('`npm run lab:1` continues at step 3');

    const progress = JSON.parse(readFileSync(join(repo.root, '.ffk', 'labs', 'progress.json'), 'utf8'));
    expect(progress.current).toMatchObject({ lab: 1, step: 'say-hello' });
    expect(progress.lastQuitAt).toEqual(expect.any(String));
    expect(progress.labs['1'].steps['say-hello']).toMatchObject({ hintsShown: 1, completedAt: expect.any(String), lastCheck: { ok: true } });
    expect(progress.labs['1'].steps.welcome.completedAt).toEqual(expect.any(String));
    expect(progress.loops).toEqual([expect.objectContaining({ name: 'edit+check', lab: 1 })]);
  });
});
