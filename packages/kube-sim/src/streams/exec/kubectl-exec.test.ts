// `kubectl exec`, `attach` and `cp` (1.32) against the simulator's process pods: over WebSocket
// v5 (kubectl's default) and SPDY (its fallback, forced with KUBECTL_REMOTE_COMMAND_WEBSOCKETS=false),
// exit codes, stdin, a real terminal, attach to a container's stdin/stdout, cp both ways, RBAC.
import { execFile, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { isAlive } from '@ffk/process-kit';
import { startTerminal } from '@ffk/test-kit';
import { Exec, KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { type Sim, startSim } from '../../sim';

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
        (error, stdout, stderr) =>
          resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout: stdout.toString(), stderr: stderr.toString() }),
      );
      child.stdin?.end(options.input ?? '');
    });
  const spdy = { KUBECTL_REMOTE_COMMAND_WEBSOCKETS: 'false' };

  beforeAll(async () => {
    sim = await startSim({
      users: [{ name: 'dev' }],
      runtime: { imageMap: fileURLToPath(new URL('../../runtime/fixtures/images.yaml', import.meta.url)), nodePorts: {} },
    });
    work = mkdtempSync(join(tmpdir(), 'kube-sim-exec-'));
    writeFileSync(join(work, 'pods.yaml'), POD);
    expect((await kubectl(['apply', '-f', join(work, 'pods.yaml')])).code).toBe(0);
    expect((await kubectl(['wait', '--for=condition=Ready', 'pod/shell', 'pod/echo', '--timeout=40s'])).code).toBe(0);
  });

  afterAll(async () => {
    await sim?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  for (const [protocol, env] of [
    ['WebSocket v5', {}],
    ['SPDY', spdy],
  ] as const) {
    it(`runs a command with its output, its exit code and the pod's environment (${protocol})`, async () => {
      const ok = await kubectl(['exec', 'shell', '-v=6', '--', 'sh', '-c', 'echo "$GREETING $HOSTNAME"; pwd; echo to-stderr >&2'], { env });
      expect(ok.code).toBe(0);
      // The fixture image's working directory is its package's (launch.ts).
      expect(ok.stdout).toBe(`hello-from-env shell\n${fileURLToPath(new URL('../../..', import.meta.url)).replace(/\/$/, '')}\n`);
      expect(ok.stderr).toContain('to-stderr');
      expect(ok.stderr).toMatch(
        protocol === 'SPDY'
          ? /POST https:\S+\/pods\/shell\/exec\?\S+ 101 Switching Protocols/
          : /GET https:\S+\/pods\/shell\/exec\?\S+ 101 Switching Protocols/,
      );

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

  for (const [protocol, env] of [
    ['WebSocket v5', {}],
    ['SPDY', spdy],
  ] as const) {
    it(`runs -it under a real terminal of the size kubectl has (${protocol})`, async () => {
      const terminal = startTerminal('kubectl', ['--kubeconfig', sim.kubeconfigPath, 'exec', '-it', 'shell', '--', 'sh'], {
        cols: 100,
        rows: 30,
        env: { ...process.env, ...env },
      });
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
  }

  it('refuses bad options worded as kube-apiserver, before anything runs', async () => {
    const kc = new KubeConfig();
    kc.loadFromFile(sim.kubeconfigPath);
    const refusal = (query: string) =>
      new Promise<{ status: number; body: string }>((resolve, reject) => {
        const url = `${sim.url.replace(/^https/, 'wss')}/api/v1/namespaces/default/pods/shell/exec?${query}`;
        const ws = new WebSocket(url, ['v5.channel.k8s.io'], {
          ca: Buffer.from(kc.getCurrentCluster()?.caData ?? '', 'base64'),
          headers: { authorization: `Bearer ${sim.token}` },
        });
        ws.once('open', () => reject(new Error(`upgraded: ${query}`)));
        ws.once('unexpected-response', (_req, res) => {
          let body = '';
          res.on('data', (chunk: Buffer) => (body += chunk.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        });
      });
    const quiet = await refusal('command=true&stdout=false&stderr=false');
    expect(quiet.status).toBe(400);
    expect(JSON.parse(quiet.body)).toMatchObject({ kind: 'Status', reason: 'BadRequest', message: 'you must specify at least 1 of stdin, stdout, stderr' });
    expect(JSON.parse((await refusal('stdout=true')).body)).toMatchObject({ message: 'you must specify at least one command for the container' });

    const wrongContainer = await kubectl(['exec', 'shell', '-c', 'nope', '--', 'true']);
    expect(wrongContainer.code).toBe(1);
    expect(wrongContainer.stderr).toContain('container nope is not valid for pod shell');
  });

  it('applies every terminal size the client sends to the running command (v5 resize channel)', async () => {
    const kc = new KubeConfig();
    kc.loadFromFile(sim.kubeconfigPath);
    const url = `${sim.url.replace(/^https/, 'wss')}/api/v1/namespaces/default/pods/shell/exec?command=sh&stdin=true&stdout=true&tty=true`;
    const ws = new WebSocket(url, ['v5.channel.k8s.io'], {
      ca: Buffer.from(kc.getCurrentCluster()?.caData ?? '', 'base64'),
      headers: { authorization: `Bearer ${sim.token}` },
    });
    let output = '';
    let status = '';
    ws.on('message', (frame: Buffer) => {
      if (frame[0] === 1) output += frame.subarray(1).toString();
      if (frame[0] === 3) status += frame.subarray(1).toString();
    });
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    const send = (channel: number, text: string) => ws.send(Buffer.concat([Buffer.of(channel), Buffer.from(text)]));
    send(4, JSON.stringify({ Width: 50, Height: 20 }));
    send(0, 'stty size\n');
    await expect.poll(() => output, { timeout: 10_000 }).toContain('20 50');
    send(4, JSON.stringify({ Width: 132, Height: 43 }));
    await new Promise((resolve) => setTimeout(resolve, 300));
    send(0, 'stty size; exit 4\n');
    await new Promise((resolve) => ws.once('close', resolve));
    expect(output).toContain('43 132');
    expect(JSON.parse(status)).toMatchObject({ status: 'Failure', reason: 'NonZeroExitCode', details: { causes: [{ reason: 'ExitCode', message: '4' }] } });
  });

  it('serves @kubernetes/client-node Exec (v4.channel.k8s.io)', async () => {
    const kc = new KubeConfig();
    kc.loadFromFile(sim.kubeconfigPath);
    const stdout = new PassThrough();
    let text = '';
    stdout.on('data', (chunk: Buffer) => (text += chunk.toString()));
    const status = await new Promise<unknown>((resolve, reject) => {
      new Exec(kc).exec('default', 'shell', 'app', ['sh', '-c', 'echo $GREETING; exit 2'], stdout, null, null, false, resolve).catch(reject);
    });
    expect(text).toBe('hello-from-env\n');
    expect(status).toMatchObject({ status: 'Failure', reason: 'NonZeroExitCode', details: { causes: [{ reason: 'ExitCode', message: '2' }] } });
  });

  it('ends the command when kubectl goes away (nothing left behind)', async () => {
    const child = spawn('kubectl', ['--kubeconfig', sim.kubeconfigPath, 'exec', 'shell', '--', 'sh', '-c', 'echo $$; exec sleep 300']);
    const pid = await new Promise<number>((resolve) => child.stdout.once('data', (chunk: Buffer) => resolve(Number(chunk.toString().trim()))));
    // A zombie counts as gone: in a container without an init, nobody reaps an orphan.
    const alive = () => isAlive(pid);
    expect(alive()).toBe(true);
    child.kill('SIGKILL');
    await expect.poll(alive, { timeout: 10_000 }).toBe(false);
  });

  it('attaches to the main process: its stdin from kubectl, its output back, again after a detach', async () => {
    for (const word of ['hello', 'again']) {
      const child = spawn('kubectl', ['--kubeconfig', sim.kubeconfigPath, 'attach', '-i', 'echo', '-c', 'main']);
      let stdout = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.stdin.write(`${word}\n`);
      await expect.poll(() => stdout, { timeout: 10_000 }).toContain(`got ${word}`);
      child.kill('SIGKILL');
    }
    expect((await kubectl(['logs', 'echo'])).stdout).toBe('started\ngot hello\ngot again\n');
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
    expect(refused.stderr.trim()).toBe(
      'Error from server (Forbidden): pods "shell" is forbidden: User "dev" cannot create resource "pods/exec" in API group "" in the namespace "default"',
    );

    // A WebSocket is a GET (needs `get`); with `create` only, kubectl falls back to SPDY's POST and succeeds.
    await kubectl(['create', 'role', 'exec', '--verb=create', '--resource=pods/exec']);
    await kubectl(['create', 'rolebinding', 'dev-exec', '--role=exec', '--user=dev']);
    const allowed = await kubectl(['exec', 'shell', '-v=6', '--', 'echo', 'in'], { kubeconfig: dev });
    expect(allowed).toMatchObject({ code: 0, stdout: 'in\n' });
    expect(allowed.stderr).toMatch(/POST https:\S+\/exec\?\S+ 101 Switching Protocols/);
  });
});
