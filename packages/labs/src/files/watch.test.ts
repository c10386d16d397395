import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { watchFiles } from './watch';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((cleanup) => cleanup()));

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ffk-watch-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('watchFiles', () => {
  it('fires once per burst of writes, with the time of the first write, and ignores other files', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'banner.ts'), 'a');
    const saves: number[] = [];
    cleanups.push(watchFiles(dir, ['banner.ts'], (savedAt) => saves.push(savedAt), 100));

    writeFileSync(join(dir, 'other.ts'), 'x');
    await sleep(250);
    expect(saves).toEqual([]);

    const first = Date.now();
    writeFileSync(join(dir, 'banner.ts'), 'b');
    await sleep(20);
    writeFileSync(join(dir, 'banner.ts'), 'c');
    await sleep(300);
    expect(saves).toHaveLength(1);
    expect(saves[0] - first).toBeLessThan(20);
  });

  it('sees an editor-style save (write a temp file, rename over the original)', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'banner.ts'), 'a');
    const saves: number[] = [];
    cleanups.push(watchFiles(dir, ['banner.ts'], (savedAt) => saves.push(savedAt), 50));
    writeFileSync(join(dir, '.banner.ts.swp'), 'b');
    renameSync(join(dir, '.banner.ts.swp'), join(dir, 'banner.ts'));
    await sleep(250);
    expect(saves).toHaveLength(1);
  });
});
