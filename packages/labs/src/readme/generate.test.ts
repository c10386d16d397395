import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { defineLab } from '../model/define';
import type { LoadedLab } from '../model/types';
import { readmeIsFresh, renderReadme } from './generate';

const dir = mkdtempSync(join(tmpdir(), 'ffk-readme-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const loaded: LoadedLab = {
  number: 2,
  name: 'slow-loop',
  dir,
  lab: defineLab({
    title: 'The slow loop',
    summary: 'Every change goes through **build, load, roll out**.',
    steps: [
      { kind: 'action', title: 'Build and load', tasks: [{ title: 'Build catalog', needs: ['docker'], run: async () => {} }] },
      {
        kind: 'task',
        title: 'Change the banner',
        body: 'Make the banner say hello.',
        watch: ['apps/catalog/src/banner.ts'],
        check: () => ({ ok: false, message: '' }),
        hints: ['Open banner.ts.', 'Change `text`.'],
        solution: { edits: [{ file: 'apps/catalog/src/banner.ts', find: "text: 'Welcome'", replace: "text: 'Hello'" }] },
      },
      { kind: 'chart', title: 'Your loops' },
    ],
  }),
};

describe('README generation', () => {
  it('writes the lab for GitHub readers: steps, what the runner does, hints and the solution folded away', () => {
    const readme = renderReadme(loaded);
    expect(readme).toMatch(/^# Lab 2: The slow loop\n/);
    expect(readme).toContain('edit lab.ts, not this file');
    expect(readme).toContain('Run it with `npm run lab:2`');
    expect(readme).toContain('## 1. Build and load\n\nThe runner does this for you:\n\n- Build catalog (needs a Docker engine)');
    expect(readme).toContain('<details><summary>Hint 2</summary>\n\nChange `text`.\n\n</details>');
    expect(readme).toContain("In `apps/catalog/src/banner.ts`, replace\n\n```\ntext: 'Welcome'\n```\n\nwith\n\n```\ntext: 'Hello'\n```");
    expect(readme).toContain('## 3. Your loops');
  });

  it('knows when README.md on disk no longer matches lab.ts', () => {
    expect(readmeIsFresh(loaded)).toBe(false); // missing
    writeFileSync(join(dir, 'README.md'), renderReadme(loaded));
    expect(readmeIsFresh(loaded)).toBe(true);
    writeFileSync(join(dir, 'README.md'), `${renderReadme(loaded)}hand edit\n`);
    expect(readmeIsFresh(loaded)).toBe(false);
  });
});
