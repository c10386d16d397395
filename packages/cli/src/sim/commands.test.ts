import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { defined } from '@ffk/test-kit/defined';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const bin = fileURLToPath(new URL('../../bin/ffk.mjs', import.meta.url));
const stateDir = mkdtempSync(join(tmpdir(), 'ffk-sim-cli-'));

async function ffk(...args: string[]) {
  try {
    const { stdout, stderr } = await run(process.execPath, [bin, 'sim', ...args], { env: { ...process.env, FFK_SIM_DIR: stateDir }, timeout: 20_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('ffk sim', () => {
  afterAll(async () => {
    await ffk('stop');
    rmSync(stateDir, { recursive: true, force: true });
  });

  it('starts in the background, says so when started twice, serves kubectl, and stops', async () => {
    const started = await ffk('start', '--detach');
    expect(started.code).toBe(0);
    expect(started.stdout).toContain(`export KUBECONFIG=${join(stateDir, 'kubeconfig')}`);
    const pid = Number(readFileSync(join(stateDir, 'sim.pid'), 'utf8'));
    expect(pid).toBeGreaterThan(0);

    const again = await ffk('start', '--detach');
    expect(again.stdout.trim().split('\n')).toHaveLength(1);
    expect(again.stdout).toContain(`kube-sim is already running`);
    expect(again.stdout).toContain(`(pid ${pid})`);

    expect((await ffk('status')).stdout).toMatch(/^kube-sim is running at https:\/\/127\.0\.0\.1:\d+ \(pid \d+\)/);
    const { stdout } = await run('kubectl', ['--kubeconfig', join(stateDir, 'kubeconfig'), 'config', 'current-context']);
    expect(stdout.trim()).toBe('ffk-sim');
    const namespaces = await run('kubectl', [
      '--kubeconfig',
      join(stateDir, 'kubeconfig'),
      '--cache-dir',
      join(stateDir, 'cache'),
      'get',
      'namespace',
      'default',
      '-o',
      'name',
    ]);
    expect(namespaces.stdout.trim()).toBe('namespace/default');

    expect((await ffk('stop')).stdout).toContain(`kube-sim stopped (pid ${pid})`);
    const status = await ffk('status');
    expect(status.code).toBe(3);
    expect(status.stdout).toContain('kube-sim is not running');
    expect(existsSync(join(stateDir, 'sim.pid'))).toBe(false);
    await expect(run('kubectl', ['--kubeconfig', join(stateDir, 'kubeconfig'), '--request-timeout', '2s', 'get', 'namespaces'])).rejects.toThrow(
      /connection refused|connection to the server .* was refused/,
    ); // kubectl words it either way
  });

  it('never signals a process that merely reuses the pid a stale state file names', async () => {
    // A sim that died without cleaning up; its pid now belongs to someone else's process.
    const stranger = spawn('sleep', ['60'], { stdio: 'ignore' });
    try {
      writeFileSync(join(stateDir, 'sim.pid'), `${stranger.pid}\n`);
      writeFileSync(join(stateDir, 'server.json'), JSON.stringify({ pid: stranger.pid, url: 'https://127.0.0.1:1', kubeconfig: join(stateDir, 'kubeconfig') }));
      expect((await ffk('status')).stdout).toContain('kube-sim is not running');
      const stop = await ffk('stop');
      expect(stop.stdout).toBe('kube-sim is not running\n');
      expect(stranger.exitCode).toBeNull();
      expect(stranger.signalCode).toBeNull();
      expect(() => process.kill(defined(stranger.pid, 'the pid of sleep'), 0)).not.toThrow();
      expect(existsSync(join(stateDir, 'server.json'))).toBe(false);
    } finally {
      stranger.kill('SIGKILL');
    }
  });

  it('adds users held to RBAC with --user, each with its own kubeconfig, and refuses a bad one in one line', async () => {
    const bad = await ffk('start', '--detach', '--user', 'dev ops');
    expect(bad.code).not.toBe(0);
    expect(bad.stderr.trim()).toBe('error: --user "dev ops" is not valid: write NAME or NAME:GROUP,GROUP (letters, digits, . _ -)');

    const started = await ffk('start', '--detach', '--user', 'dev', '--user', 'carol:team-a');
    expect(started.code).toBe(0);
    expect(started.stdout).toContain(`user dev (held to RBAC): export KUBECONFIG=${join(stateDir, 'kubeconfig-dev')}`);
    const asUser = (name: string, ...args: string[]) =>
      run('kubectl', ['--kubeconfig', join(stateDir, `kubeconfig-${name}`), '--cache-dir', join(stateDir, 'cache'), ...args]).catch(
        (error: { stdout: string; stderr: string }) => ({ stdout: error.stdout, stderr: error.stderr }),
      );
    expect((await asUser('dev', 'get', 'pods')).stderr).toContain(
      'pods is forbidden: User "dev" cannot list resource "pods" in API group "" in the namespace "default"',
    );
    expect((await asUser('dev', 'auth', 'can-i', 'list', 'pods')).stdout.trim()).toBe('no');
    await run('kubectl', ['--kubeconfig', join(stateDir, 'kubeconfig'), 'create', 'clusterrolebinding', 'team-a-view', '--clusterrole=view', '--group=team-a']);
    expect((await asUser('carol', 'auth', 'can-i', 'list', 'pods')).stdout.trim()).toBe('yes');
    expect((await ffk('stop')).code).toBe(0);
  });
});
