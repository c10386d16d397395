// `ffk leave` finds the intercept's process by the file it left; a stale file whose pid another
// process now has must not get that process signalled.
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defined } from '@ffk/test-kit/defined';
import { afterAll, expect, it } from 'vitest';
import { thisProcess } from '../cli-kit/process-alive';
import { type LocalIntercept, localIntercepts, stateDir, writeLocalIntercept } from './local-state';

const bin = fileURLToPath(new URL('../../bin/ffk.mjs', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'ffk-local-state-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const record = (overrides: Partial<LocalIntercept>): LocalIntercept => ({
  pid: 0,
  context: 'ffk-sim',
  server: 'https://127.0.0.1:1',
  namespace: 'default',
  deployment: 'catalog',
  mode: 'global',
  localPort: 3000,
  startedAt: new Date().toISOString(),
  pods: [],
  routed: 0,
  failed: 0,
  reconnects: 0,
  state: 'active',
  updatedAt: new Date().toISOString(),
  ...overrides,
});

it('ffk leave does not signal a process that reuses the pid of a crashed intercept, and forgets the stale file', async () => {
  const dir = stateDir({ FFK_STATE_DIR: scratch });
  const stranger = spawn('sleep', ['60'], { stdio: 'ignore' });
  try {
    // What a crashed `ffk intercept` left: its pid, now the stranger's (the start time is not the stranger's).
    writeLocalIntercept(record({ pid: defined(stranger.pid, 'the pid of sleep'), pidStart: '1' }), dir);
    const left = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      execFile(process.execPath, [bin, 'leave', 'catalog'], { env: { ...process.env, FFK_STATE_DIR: scratch } }, (error, _stdout, stderr) =>
        resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stderr }),
      );
    });
    expect(left).toEqual({ code: 3, stderr: 'ffk: no intercept of catalog runs on this machine (`ffk status` lists the running ones)\n' });
    expect(stranger.exitCode).toBeNull();
    expect(stranger.signalCode).toBeNull();
    expect(readdirSync(dir)).toEqual([]);
  } finally {
    stranger.kill('SIGKILL');
  }
});

it('finds an intercept whose process is the one recorded', () => {
  const dir = join(scratch, 'live');
  writeLocalIntercept(record({ ...thisProcess(), deployment: 'web' }), dir);
  expect(localIntercepts(dir).map((i) => i.deployment)).toEqual(['web']);
});
