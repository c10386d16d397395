// The production images hold only apps/<svc>/dist/main.js and package.json, no node_modules
// (see the Dockerfiles). This builds each bundle with the app's own build script into a folder
// holding nothing else and starts it without configuration: it must get as far as its config
// check (one line, exit 1), proving every dependency is inside the bundle and loads.
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { execFileAsync, repoPath, SERVICES } from './repo-files';

const work = mkdtempSync(join(tmpdir(), 'ffk-bundles-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe.each(SERVICES)('@ffk/%s production bundle', (service) => {
  it('starts from a folder with no node_modules and stops at its config check in one line', async () => {
    const image = join(work, service);
    // npm hands the extra flag to esbuild, where the last --outfile wins: the app's dist/ is left alone.
    await execFileAsync('npm', ['run', 'build', '--silent', '--workspace', `@ffk/${service}`, '--', `--outfile=${join(image, 'dist', 'main.js')}`], {
      cwd: repoPath('.'),
    });
    copyFileSync(repoPath(`apps/${service}/package.json`), join(image, 'package.json'));
    const result = await execFileAsync(process.execPath, ['dist/main.js'], {
      cwd: image,
      env: { PATH: process.env.PATH, NODE_ENV: 'production' },
      timeout: 15_000,
    }).then(
      ({ stdout, stderr }) => ({ code: 0, output: stdout + stderr }),
      (error: { code?: number; stdout: string; stderr: string }) => ({ code: error.code, output: error.stdout + error.stderr }),
    );
    const lines = result.output.trim().split('\n');
    expect(lines, `node dist/main.js in a bare folder said:\n${result.output}`).toHaveLength(1);
    expect(lines[0], 'the one line names the missing setting').toMatch(/_URL/);
    expect(result.code, 'exit code').toBe(1);
  });
});
