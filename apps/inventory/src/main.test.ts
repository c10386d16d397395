import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startProcess } from '@ffk/test-kit';
import { describe, expect, it } from 'vitest';

const appDir = fileURLToPath(new URL('..', import.meta.url));

/** Runs main.ts as a real process with exactly `env` (plus PATH), as Kubernetes would. */
async function runMain(env: Record<string, string>) {
  const child = startProcess(process.execPath, ['--import', 'tsx', 'src/main.ts'], { cwd: appDir, env: { PATH: process.env.PATH, ...env } });
  return child.exited;
}

describe('main.ts configuration', () => {
  it('exits 1 with one line naming DATABASE_URL when it is missing', async () => {
    const { code, stderr } = await runMain({ PORT: '0' });
    expect(code).toBe(1);
    expect(stderr.trim().split('\n')).toEqual([expect.stringMatching(/^inventory: bad configuration: DATABASE_URL is not set: expected a PostgreSQL URL/)]);
  });

  it('exits 1 with one line naming PORT when it is not a port', async () => {
    const { code, stderr } = await runMain({ PORT: 'eighty', DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/shop' });
    expect(code).toBe(1);
    expect(stderr.trim().split('\n')).toEqual(['inventory: bad configuration: PORT="eighty" is not valid: expected a TCP port from 0 to 65535 (default 3001)']);
  });
});

describe('npm run build', () => {
  it('bundles main.ts into one file that runs with no node_modules beside it (the image ships only that file)', async () => {
    const outDir = await mkdtemp(join(tmpdir(), 'ffk-inventory-bundle-'));
    try {
      const outfile = join(outDir, 'main.mjs');
      const build = await startProcess('npm', ['run', 'build', '--silent', '--', `--outfile=${outfile}`], { cwd: appDir, env: process.env }).exited;
      expect(build.code, build.stderr).toBe(0);
      // Loading the bundle evaluates every dependency (express, pg, pino, zod) before the config check.
      const run = await startProcess(process.execPath, [outfile], { cwd: outDir, env: { PATH: process.env.PATH, PORT: '0' } }).exited;
      expect(run.code).toBe(1);
      expect(run.stderr.trim()).toMatch(/^inventory: bad configuration: DATABASE_URL is not set/);
    } finally {
      await rm(outDir, { recursive: true, force: true });
    }
  });
});
