// `kubectl exec`, `attach` and `cp` (1.32) against the simulator's process pods: over WebSocket
// v5 (kubectl's default) and SPDY (its fallback, forced with KUBECTL_REMOTE_COMMAND_WEBSOCKETS=false),
// exit codes, stdin, a real terminal, attach to a container's stdin/stdout, cp both ways, RBAC.
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { startTerminal } from '@ffk/test-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSim, type Sim } from '../../sim';

const POD = `
apiVersion: v1
kind: Pod
metadata: { name: shell }
spec:
  terminationGracePeriodSeconds: 1
  containers:
    - name: app
      image: test/app:1.0
      env: [{ name: GREETING, value: hello-from-env }]
---
apiVersion: v1
kind: Pod
metadata: { name: echo }
spec:
  terminationGracePeriodSeconds: 1
  containers:
    - name: main
      image: node:24
      stdin: true
      command: [node, -e, "console.log('started'); process.stdin.on('data', (d) => console.log('got ' + d.toString().trim()))"]
`;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

describe('kubectl exec, attach and cp', { timeout: 60_000 }, () => {
  let sim: Sim;
  let work: string;

  const kubectl = (args: string[], options: { input?: string | Buffer; env?: NodeJS.ProcessEnv; kubeconfig?: string } = {}) =>
    new Promise<Run>((resolve) => {
      const child = execFile(
        'kubectl',
        ['--kubeconfig', options.kubeconfig ?? sim.kubeconfigPath, ...args],
        { env: { ...process.env, ...options.env }, encoding: 'buffer', maxBuffer: 64 * 1024 * 1024, timeout: 30_000 },
        (error, stdout, stderr) => resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout: stdout.toString(), stderr: stderr.toString() }),
      );
      child.stdin!.end(options.input ?? '');
    });
  const spdy = { KUBECTL_REMOTE_COMMAND_WEBSOCKETS: 'false' };

  beforeAll(async () => {
    sim = await startSim({ users: [{ name: 'dev' }], runtime: { imageMap: fileURLToPath(new URL('../../runtime/fixtures/images.yaml', import.meta.url)), nodePorts: {} } });
    work = mkdtempSync(join(tmpdir(), 'kube-sim-exec-'));
    writeFileSync(join(work, 'pods.yaml'), POD);
    expect((await kubectl(['apply', '-f', join(work, 'pods.yaml')])).code).toBe(0);
    expect((await kubectl(['wait', '--for=condition=Ready', 'pod/shell', 'pod/echo', '--timeout=40s'])).code).toBe(0);
  });

  afterAll(async () => {
    await sim?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  for (const [protocol, env] of [['WebSocket v5', {}], ['SPDY', spdy]] as const) {
    it(`runs a command with its output, its exit code and the pod's environment (${protocol})`, async () => {
      const ok = await kubectl(['exec', 'shell', '-v=6', '--', 'sh', '-c', 'echo "$GREETING $HOSTNAME"; pwd; echo to-stderr >&2'], { env });
      expect(ok.code).toBe(0);
      // The fixture image's working directory is its package's (launch.ts).
      expect(ok.stdout).toBe(`hello-from-env shell\n${fileURLToPath(new URL('../../..', import.meta.url)).replace(/\/$/, '')}\n`);
      expect(ok.stderr).toContain('to-stderr');
      expect(ok.stderr).toMatch(protocol === 'SPDY' ? /POST https:\S+\/pods\/shell\/exec\?\S+ 101 Switching Protocols/ : /GET https:\S+\/pods\/shell\/exec\?\S+ 101 Switching Protocols/);

      const failed = await kubectl(['exec', 'shell', '--', 'sh', '-c', 'echo partial; exit 3'], { env });
      expect(failed).toMatchObject({ code: 3, stdout: 'partial\n' });
      expect(failed.stderr).toContain('command terminated with exit code 3');
    });

    it(`pipes stdin to the command byte for byte, and ends it on EOF (${protocol})`, async () => {
      const input = randomBytes(3 * 1024 * 1024);
      const result = await kubectl(['exec', '-i', 'shell', '--', 'sha256sum'], { input, env });
      expect(result.code).toBe(0);
      expect(result.stdout.split(' ')[0]).toBe(createHash('sha256').update(input).digest('hex'));
    });
  }

  it('says why a command that is not there cannot run', async () => {
    const result = await kubectl(['exec', 'shell', '--', 'no-such-command']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('exec: "no-such-command": executable file not found in $PATH');
  });

  it('runs -it under a real terminal of the size kubectl has', async () => {
    const terminal = startTerminal('kubectl', ['--kubeconfig', sim.kubeconfigPath, 'exec', '-it', 'shell', '--', 'sh'], { cols: 100, rows: 30 });
    try {
      await terminal.waitForScreen((screen) => /[#$] ?$/m.test(screen), 'the shell prompt');
      terminal.type('stty size; tty; echo "TERM=$TERM"\r');
      const screen = await terminal.waitForScreen((text) => text.includes('TERM=xterm'), 'the size and terminal');
      expect(screen).toContain('30 100');
      expect(screen).toMatch(/\/dev\/pts\/\d+/);
      terminal.type('exit 5\r');
      await terminal.waitForScreen((text) => text.includes('command terminated with exit code 5'), 'the exit code');
    } finally {
      await terminal.stop();
    }
  });

  it('attaches to the main process: its stdin from kubectl, its output back', async () => {
    const result = await kubectl(['attach', '-i', 'echo', '-c', 'main'], { input: 'hello\n' });
    expect(result.stdout).toContain('got hello');
    const logs = await kubectl(['logs', 'echo']);
    expect(logs.stdout).toContain('got hello');
  });

  it('copies files both ways with kubectl cp (tar through exec)', async () => {
    const local = join(work, 'upload');
    mkdirSync(join(local, 'sub'), { recursive: true });
    const payload = randomBytes(200 * 1024);
    writeFileSync(join(local, 'a.bin'), payload);
    writeFileSync(join(local, 'sub', 'b.txt'), 'nested\n');
    const inPod = join(work, 'pod-side');
    mkdirSync(inPod);
    expect(await kubectl(['cp', local, `shell:${inPod}/copied`])).toMatchObject({ code: 0 });
    expect(readFileSync(join(inPod, 'copied', 'sub', 'b.txt'), 'utf8')).toBe('nested\n');

    const back = join(work, 'download');
    expect(await kubectl(['cp', `shell:${inPod}/copied`, back])).toMatchObject({ code: 0 });
    expect(readFileSync(join(back, 'a.bin')).equals(payload)).toBe(true);
    expect(readFileSync(join(back, 'sub', 'b.txt'), 'utf8')).toBe('nested\n');
  });

  it('enforces pods/exec as kube-apiserver 1.32: refused worded as the real one, allowed with create', async () => {
    const dev = sim.kubeconfigFor('dev');
    await kubectl(['create', 'role', 'pod-reader', '--verb=get', '--resource=pods']);
    await kubectl(['create', 'rolebinding', 'dev-read', '--role=pod-reader', '--user=dev']);
    const refused = await kubectl(['exec', 'shell', '--', 'true'], { kubeconfig: dev });
    expect(refused.code).toBe(1);
    expect(refused.stderr.trim()).toBe('Error from server (Forbidden): pods "shell" is forbidden: User "dev" cannot create resource "pods/exec" in API group "" in the namespace "default"');

    // A WebSocket is a GET (needs `get`); with `create` only, kubectl falls back to SPDY's POST and succeeds.
    await kubectl(['create', 'role', 'exec', '--verb=create', '--resource=pods/exec']);
    await kubectl(['create', 'rolebinding', 'dev-exec', '--role=exec', '--user=dev']);
    const allowed = await kubectl(['exec', 'shell', '-v=6', '--', 'echo', 'in'], { kubeconfig: dev });
    expect(allowed).toMatchObject({ code: 0, stdout: 'in\n' });
    expect(allowed.stderr).toMatch(/POST https:\S+\/exec\?\S+ 101 Switching Protocols/);
  });
});
