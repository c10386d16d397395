// `kubectl port-forward` (1.32) against the simulator with the runtime: SPDY tunnelled in a
// WebSocket (kubectl's default) and the plain SPDY/3.1 upgrade (its fallback), to a pod and
// through a Service, with real HTTP traffic through kubectl's local port.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { type AddressInfo, connect, createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { defined } from '@ffk/test-kit/defined';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appManifest } from '../runtime/fixtures/app-manifest';
import type { Pod } from '../runtime/kube-types';
import { type Sim, startSim } from '../sim';
import { type List, parseJson } from '../testing/json';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** One HTTP exchange on its own connection (no keep-alive pool), so each is a new forwarded stream. */
function exchange(port: number, path: string, body?: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: body ? 'POST' : 'GET', agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve(Buffer.concat(chunks)));
    });
    req.on('error', reject);
    req.end(body);
  });
}

interface Forward {
  process: ChildProcess;
  port: number;
  stderr: () => string;
}

describe('kubectl port-forward', { timeout: 60_000 }, () => {
  let sim: Sim;
  let pod: Pod;
  const started: ChildProcess[] = [];
  const podIP = () => defined(pod.status?.podIP, 'the pod IP');
  const portForwards = () => defined(sim.runtime, 'the simulator runtime').portForwards;

  /** Starts `kubectl port-forward target <free port>:remote` and waits until it listens. */
  async function portForward(target: string, remote: number, env: NodeJS.ProcessEnv = {}): Promise<Forward> {
    const port = await freePort();
    const child = spawn('kubectl', ['--kubeconfig', sim.kubeconfigPath, 'port-forward', target, `${port}:${remote}`, '--address=127.0.0.1', '-v=6'], {
      env: { ...process.env, ...env },
    });
    started.push(child);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    await expect
      .poll(() => stdout || (child.exitCode !== null ? `exited: ${stderr}` : ''), { timeout: 15_000 })
      .toContain(`Forwarding from 127.0.0.1:${port} -> ${remote}`);
    return { process: child, port, stderr: () => stderr };
  }

  beforeAll(async () => {
    sim = await startSim({ runtime: { imageMap: fileURLToPath(new URL('../runtime/fixtures/images.yaml', import.meta.url)), nodePorts: {} } });
    const kubectl = (...args: string[]) => promisify(execFile)('kubectl', ['--kubeconfig', sim.kubeconfigPath, ...args], { encoding: 'utf8' });
    writeFileSync(join(sim.stateDir, 'fwd.yaml'), appManifest('fwd'));
    await kubectl('apply', '-f', join(sim.stateDir, 'fwd.yaml'));
    await kubectl('rollout', 'status', 'deployment/fwd', '--timeout=40s');
    pod = defined(parseJson<List<Pod>>((await kubectl('get', 'pods', '-l', 'app=fwd', '-o', 'json')).stdout).items[0], 'a pod of app=fwd');
  });

  afterAll(async () => {
    for (const child of started) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await sim?.stop();
  });

  let podForward: Forward;

  it('forwards a pod port over SPDY in a WebSocket: HTTP through, concurrent connections and 5 MB byte-exact', async () => {
    podForward = await portForward(`pod/${pod.metadata.name}`, 8080);
    expect(podForward.stderr()).toMatch(/GET https:\/\/\S+\/pods\/fwd-\S+\/portforward 101 Switching Protocols/);
    expect((await exchange(podForward.port, '/')).toString()).toBe(`hello from ${pod.metadata.name}`);

    const bodies = Array.from({ length: 8 }, () => randomBytes(256 * 1024));
    const big = randomBytes(5 * 1024 * 1024);
    const started = Date.now();
    const echoed = await Promise.all([...bodies, big].map((body) => exchange(podForward.port, '/echo', body)));
    console.log(`8 x 256 KiB + 5 MiB echoed through kubectl port-forward in ${Date.now() - started} ms`);
    echoed.forEach((answer, i) => expect(answer.equals([...bodies, big][i])).toBe(true));
  });

  it('applies backpressure: a local client that stops reading stops the pod writing', async () => {
    const client = connect(podForward.port, '127.0.0.1');
    client.on('error', () => {});
    let received = 0;
    client.on('data', (chunk: Buffer) => (received += chunk.length));
    client.write('GET /flood HTTP/1.1\r\nHost: x\r\n\r\n');
    await expect.poll(() => received).toBeGreaterThan(0);
    client.pause();
    // The pod's writer stalls once the buffers on the way (kernel, simulator, kubectl) are full.
    const flooded = async () => Number(await (await fetch(`http://${podIP()}:8080/flooded`)).text());
    let last = -1;
    const growth = async () => {
      const now = await flooded();
      const grew = now - last;
      last = now;
      return grew;
    };
    await expect.poll(growth, { interval: 500, timeout: 15_000 }).toBe(0);
    console.log(`a paused reader stalled the pod after ${(last / 1024 / 1024).toFixed(1)} MiB`);
    // The simulator holds back (it stopped reading the pod) rather than buffering without bound.
    expect([...portForwards().podSockets].map((socket) => socket.isPaused())).toEqual([true]);
    const before = received;
    client.resume();
    await expect.poll(() => received - before, { timeout: 20_000 }).toBeGreaterThan(16 * 1024 * 1024);
    client.destroy();
  });

  it('forwards a Service port (kubectl picks a pod behind it and its targetPort)', async () => {
    const forward = await portForward('svc/fwd', 80);
    expect((await exchange(forward.port, '/')).toString()).toBe(`hello from ${pod.metadata.name}`);
    forward.process.kill();
  });

  it('serves the plain SPDY/3.1 upgrade kubectl falls back to', async () => {
    const forward = await portForward(`pod/${pod.metadata.name}`, 8080, { KUBECTL_PORT_FORWARD_WEBSOCKETS: 'false' });
    const big = randomBytes(2 * 1024 * 1024);
    expect((await exchange(forward.port, '/echo', big)).equals(big)).toBe(true);
    expect(forward.stderr()).toMatch(/POST https:\/\/\S+\/portforward 101 Switching Protocols/);
    forward.process.kill();
  });

  it('reports a port nobody listens on with the kubelet error, as kubectl shows it; other forwards keep serving', async () => {
    const forward = await portForward(`pod/${pod.metadata.name}`, 9999);
    await exchange(forward.port, '/').catch(() => undefined); // kubectl closes the local connection
    const { name, uid } = pod.metadata;
    await expect
      .poll(forward.stderr)
      .toContain(
        `an error occurred forwarding ${forward.port} -> 9999: error forwarding port 9999 to pod ${name}, uid ${uid}: dial tcp ${podIP()}:9999: connect: connection refused`,
      );
    // kubectl 1.32 ends the whole port-forward after an error (as against a real cluster).
    await expect.poll(forward.stderr).toContain('error: lost connection to pod');
    expect((await exchange(podForward.port, '/')).toString()).toBe(`hello from ${pod.metadata.name}`);
  });

  it('leaves no SPDY connection, stream or pod socket behind when kubectl stops mid-connection', async () => {
    // Earlier connections are done, and the kubectl processes stopped before left nothing open.
    await expect.poll(() => portForwards().podSockets.size, { timeout: 10_000 }).toBe(0);
    await expect.poll(() => portForwards().sessions.size, { timeout: 10_000 }).toBe(1);
    const open = connect(podForward.port, '127.0.0.1');
    open.on('error', () => {});
    open.write('GET / HTTP/1.1\r\nHost: x\r\n'); // an unfinished request keeps the pod connection open
    await expect.poll(() => portForwards().podSockets.size).toBe(1);
    const session = [...portForwards().sessions][0] as { streams: Map<number, unknown> };
    expect(session.streams.size).toBe(2); // the connection's error and data streams
    podForward.process.kill();
    await expect.poll(() => portForwards().sessions.size, { timeout: 10_000 }).toBe(0);
    await expect.poll(() => portForwards().podSockets.size, { timeout: 10_000 }).toBe(0);
    expect(session.streams.size).toBe(0);
    open.destroy();
  });
});
