import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { progressFile, ProgressStore } from './progress';

const dirs: string[] = [];
const tempRepo = () => {
  const dir = mkdtempSync(join(tmpdir(), 'ffk-progress-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

describe('ProgressStore', () => {
  it('keeps position, completions, hints and loops in .ffk/labs/progress.json across runs', () => {
    const repo = tempRepo();
    const first = new ProgressStore(progressFile(repo));
    first.enterStep(3, 'intercept');
    first.hintShown(3, 'intercept', 2);
    first.recordCheck(3, 'intercept', true, 'banner visible');
    first.recordLoop('intercept', 412.6, 3);
    first.quit();

    const again = new ProgressStore(progressFile(repo));
    expect(again.data.current).toMatchObject({ lab: 3, step: 'intercept' });
    const step = again.data.labs[3].steps.intercept;
    expect(step.hintsShown).toBe(2);
    expect(step.completedAt).toBeDefined();
    expect(step.lastCheck).toMatchObject({ ok: true, message: 'banner visible' });
    expect(again.data.loops).toEqual([expect.objectContaining({ name: 'intercept', ms: 413, lab: 3 })]);
    expect(again.data.lastQuitAt).toBeDefined();
  });

  it('a failed check does not complete the step', () => {
    const store = new ProgressStore(progressFile(tempRepo()));
    store.recordCheck(2, 'banner', false, 'still blue');
    expect(store.data.labs[2].steps.banner.completedAt).toBeUndefined();
  });

  it('resetting a lab forgets its steps and position but keeps measured loops', () => {
    const store = new ProgressStore(progressFile(tempRepo()));
    store.enterStep(2, 'banner');
    store.recordLoop('rebuild+redeploy', 41_000, 2);
    store.resetLab(2);
    expect(store.data.labs[2]).toBeUndefined();
    expect(store.data.current).toBeUndefined();
    expect(store.data.loops).toHaveLength(1);
  });

  it('in-memory mode (CI, verify) writes nothing', () => {
    const repo = tempRepo();
    const store = new ProgressStore(null);
    store.enterStep(1, 'x');
    store.recordLoop('intercept', 1);
    expect(existsSync(join(repo, '.ffk'))).toBe(false);
  });

  it('a corrupt file gets one line that says what to do', () => {
    const file = progressFile(tempRepo());
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, '{ not json');
    expect(() => new ProgressStore(file)).toThrow(/progress.json is not valid JSON: fix it or delete it/);
    expect(readFileSync(file, 'utf8')).toBe('{ not json');
  });
});
