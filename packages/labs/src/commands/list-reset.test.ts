import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Progress, progressFile, ProgressStore } from '../state/progress';
import { createFixtureRepo, type FixtureRepo } from '../testing/fixture-repo';
import { runCli } from '../testing/run-cli';

let repo: FixtureRepo;
beforeAll(async () => {
  repo = await createFixtureRepo();
});
afterAll(() => repo.cleanup());

describe('labs and reset', () => {
  it('lists each lab with the learner’s status, then resets its files, cluster hook and progress', async () => {
    const before = await runCli(['labs', '--repo', repo.root]);
    expect(before.code).toBe(0);
    expect(before.stdout).toMatch(/1 +Greetings +not started +npm run lab:1/);

    const store = new ProgressStore(progressFile(repo.root));
    store.enterStep(1, 'welcome');
    store.completeStep(1, 'welcome');
    store.recordLoop('edit+check', 120, 1);
    writeFileSync(join(repo.root, 'greeting.txt'), 'half-done edit\n');

    const during = await runCli(['labs', '--repo', repo.root]);
    expect(during.stdout).toMatch(/1 +Greetings +1\/4 steps done ← you are here/);

    const reset = await runCli(['reset', '1', '--repo', repo.root]);
    expect(reset.code).toBe(0);
    expect(reset.stdout).toContain('✔ Restore greeting.txt from git');
    expect(reset.stdout).toContain('✔ Restore the cluster state');
    expect(reset.stdout).toContain('Lab 1 is reset');
    expect(readFileSync(join(repo.root, 'greeting.txt'), 'utf8')).toBe('bye world\n');
    expect(existsSync(join(repo.root, '.ffk', 'cluster-reset'))).toBe(true);
    const after = JSON.parse(readFileSync(progressFile(repo.root), 'utf8')) as Progress;
    expect(after.labs['1']).toBeUndefined();
    expect(after.loops).toHaveLength(1); // measurements are the learner's history: kept

    expect((await runCli(['labs', '--repo', repo.root])).stdout).toMatch(/1 +Greetings +not started/);
  });

  it('answers a bad lab number with one line', async () => {
    const result = await runCli(['reset', 'three', '--repo', repo.root]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('Expected a lab number such as 3, got "three".\n');
  });
});
