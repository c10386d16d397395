// The pg_isready stand-in that kube-sim puts on the postgres pod's PATH, run as the pod's exec
// probe runs it: through the script postgresToolsDir writes, here for a tsx reached through a
// directory whose name has a quote and a space in it.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, startPostgres, type TestPostgres } from '@ffk/test-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresToolsDir } from './postgres';

const pgIsReady = (dir: string, port: number) =>
  new Promise<{ code: number; stdout: string }>((resolve) =>
    execFile(join(dir, 'pg_isready'), ['-h', '127.0.0.1', '-p', String(port), '-t', '2'], (error, stdout) =>
      resolve({ code: error ? Number(error.code) : 0, stdout }),
    ),
  );

describe('the pg_isready stand-in', { timeout: 60_000 }, () => {
  let postgres: TestPostgres;
  let scratch: string;
  let tools: string;

  beforeAll(async () => {
    postgres = await startPostgres();
    scratch = mkdtempSync(join(tmpdir(), "kube-sim-it's tools "));
    const tsx = join(scratch, 'loader.mjs');
    symlinkSync(fileURLToPath(import.meta.resolve('tsx')), tsx);
    tools = postgresToolsDir(tsx);
  });

  afterAll(async () => {
    await postgres?.stop();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('exits 0 for a PostgreSQL that accepts connections', async () => {
    const { code, stdout } = await pgIsReady(tools, Number(new URL(postgres.url).port));
    expect(stdout).toContain('accepting connections');
    expect(code).toBe(0);
  });

  it('exits 2 when nothing answers on the port', async () => {
    const { code, stdout } = await pgIsReady(tools, await freePort());
    expect(stdout).toContain('no response');
    expect(code).toBe(2);
  });
});
