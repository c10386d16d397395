import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { commandSucceeds } from '../testing/command';
import { createFixtureRepo, type FixtureRepo } from '../testing/fixture-repo';
import { runCli } from '../testing/run-cli';

const repos: FixtureRepo[] = [];
const fixture = async (options?: Parameters<typeof createFixtureRepo>[0]) => {
  const repo = await createFixtureRepo(options);
  repos.push(repo);
  return repo;
};
afterAll(() => repos.forEach((repo) => repo.cleanup()));

/** The table row for a step: the line that names it after the header rule. */
const rowOf = (stdout: string, step: string) => stdout.split('\n').find((line) => line.startsWith('1 ') && line.includes(step)) ?? '';

const dockerEngine = commandSucceeds('docker', ['info']);

describe('verify', () => {
  it('passes a lab whose check fails as shipped and passes with its solution, and reverts the solution', async () => {
    const repo = await fixture();
    const result = await runCli(['verify', '--repo', repo.root]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(rowOf(result.stdout, '3. Say hello')).toMatch(/pass .* fails as shipped, passes with the solution: greeting.txt says hello/);
    expect(rowOf(result.stdout, 'README.md')).toMatch(/pass .* matches lab.ts/);
    // A step that needs a tool this machine lacks is skipped with the reason, never passed.
    const docker = rowOf(result.stdout, 'Ask the Docker engine');
    if (dockerEngine) expect(docker).toMatch(/ pass /);
    // Without an engine the reason says why: no docker command at all, or no engine answering it.
    else expect(docker).toMatch(/skipped .* needs docker: .*(no engine answers|the docker command is not installed)/);
    expect(result.stdout).toContain(dockerEngine ? '5 passed, 0 failed, 0 skipped' : '4 passed, 0 failed, 1 skipped');
    expect(readFileSync(join(repo.root, 'greeting.txt'), 'utf8')).toBe('bye world\n');
    expect(execFileSync('git', ['status', '--porcelain'], { cwd: repo.root, encoding: 'utf8' })).toBe('');
  });

  it('exits 1 on a broken solution, naming the step in the table, and still reverts', async () => {
    const repo = await fixture({ solutionWord: 'ciao' });
    const result = await runCli(['verify', '--repo', repo.root]);
    expect(result.code).toBe(1);
    expect(rowOf(result.stdout, '3. Say hello')).toMatch(/FAIL .* fails with the solution applied: greeting.txt says ciao world/);
    expect(result.stdout).toContain('1 failed');
    expect(readFileSync(join(repo.root, 'greeting.txt'), 'utf8')).toBe('bye world\n');
  });

  it('reports a task and a step whose skipIf gives a reason as skipped with it, without running them', async () => {
    const repo = await fixture({ preconditionMissing: true });
    const result = await runCli(['verify', '--repo', repo.root]);
    expect(result.code).toBe(0);
    expect(rowOf(result.stdout, 'Start the intercept')).toMatch(/skipped .* ffk has no intercept command yet/);
    // Its check would pass as shipped, which verify refuses: skipped means it was never run.
    expect(rowOf(result.stdout, '3. Edit through the intercept')).toMatch(/skipped .* ffk has no intercept command yet/);
    expect(rowOf(result.stdout, '4. Say hello')).toMatch(/ pass /);
    expect(result.stdout).not.toContain('must not run');
  });

  it('exits 1 on a check that passes as shipped (a check that cannot fail)', async () => {
    const repo = await fixture({ checkAlwaysPasses: true });
    const result = await runCli(['verify', '--repo', repo.root]);
    expect(result.code).toBe(1);
    expect(rowOf(result.stdout, '3. Say hello')).toMatch(/FAIL .* passes as shipped/);
  });
});

describe('lab N --ci', () => {
  it('runs the lab offline without prompts: solution applied, check once, table, reverted, no progress written', async () => {
    const repo = await fixture();
    const result = await runCli(['lab', '1', '--ci', '--offline', '--repo', repo.root]);
    expect(result.code).toBe(0);
    // Offline: the lab is told it runs on kube-sim, and says so once; engine steps are skipped.
    expect(result.stdout).toMatch(/cluster: offline mode \(--offline\)\n✔ Pick the cluster .*· backend sim/);
    expect(rowOf(result.stdout, 'Ask the Docker engine')).toMatch(/skipped .* needs docker: offline mode \(kube-sim\) has no container engine/);
    expect(result.stdout).toContain('This lab changes one word in greeting.txt.');
    expect(rowOf(result.stdout, '3. Say hello')).toMatch(/pass .* passes with the solution/);
    // The solution counts as the learner's save, so the step's loop is measured and charted.
    expect(result.stdout).toMatch(/edit\+check █+ +\d+ ms/);
    expect(readFileSync(join(repo.root, 'greeting.txt'), 'utf8')).toBe('bye world\n');
    expect(execFileSync('git', ['status', '--porcelain', '--ignored'], { cwd: repo.root, encoding: 'utf8' })).toBe('');
  });

  it('shows a failed shell-out’s output under its step, skips what depends on it, and exits 1', async () => {
    const repo = await fixture({ failingAction: true });
    const result = await runCli(['lab', '1', '--ci', '--repo', repo.root]);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(
      /✖ Build the images .*\n {4}command failed \(exit code 3\): no space left on device\n {4}│ building layer 3\n {4}│ no space left on device/,
    );
    expect(rowOf(result.stdout, 'Pick the cluster')).toMatch(/skipped .* after "Build the images" failed/);
    expect(rowOf(result.stdout, '3. Say hello')).toMatch(/skipped .* not run: step 2\. Warm up failed/);
    expect(result.stdout).not.toContain('Reverted');
  });

  it('reverts an applied solution when interrupted mid-check', async () => {
    const repo = await fixture({ slowWithSolution: true });
    const file = join(repo.root, 'greeting.txt');
    const result = await runCli(['lab', '1', '--ci', '--repo', repo.root], {}, (child) => {
      const poll = setInterval(() => {
        if (readFileSync(file, 'utf8').includes('hello')) {
          clearInterval(poll);
          child.kill('SIGTERM');
        }
      }, 25);
      child.on('close', () => clearInterval(poll));
    });
    expect(result.code).toBe(143);
    expect(result.stdout).toContain('Interrupted by SIGTERM: solutions reverted.');
    expect(readFileSync(file, 'utf8')).toBe('bye world\n');
  });

  it('answers a lab that does not exist with one line', async () => {
    const repo = await fixture();
    const result = await runCli(['lab', '7', '--repo', repo.root]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('There is no lab 7 (available: 1); `npm run labs` lists them.\n');
  });
});
