// The runtime through the real API server: kubectl and client-node drive a Deployment of the
// fixture app; pods run as processes, Services route, logs and port-forward stream.
import { execFile, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { defined } from '@ffk/test-kit/defined';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Sim, startSim } from '../sim';
import { type List, parseJson } from '../testing/json';
import { kindNodePorts, parseNodePorts } from './cluster-runtime';
import { appManifest } from './fixtures/app-manifest';
import { getThroughPortForward } from './fixtures/port-forward';
import type { Deployment, Endpoints, Pod } from './kube-types';
import { podProcesses } from './processes';

const run = promisify(execFile);

const manifest = appManifest('hello', { replicas: 2, nodePort: 30080 });

describe('cluster runtime behind the API server', { timeout: 60_000 }, () => {
  let sim: Sim;
  let nodePort: number;
  const pids = new Set<number>();
  const kubectl = async (...args: string[]) => (await run('kubectl', ['--kubeconfig', sim.kubeconfigPath, ...args], { encoding: 'utf8' })).stdout;
  const pods = async () => parseJson<List<Pod>>(await kubectl('get', 'pods', '-l', 'app=hello', '-o', 'json')).items;
  const runtime = () => defined(sim.runtime, 'the simulator runtime');
  const pidOf = (name: string) => defined(runtime().kubelet.worker('default', name), `a pod worker for ${name}`).containers[0].pid;
  const podIP = (pod: Pod) => defined(pod.status?.podIP, `the pod IP of ${pod.metadata.name}`);
  const recordPids = () => {
    for (const pod of sim.store.list('pods', { namespace: 'default' }).items) {
      const pid = runtime().kubelet.worker('default', pod.metadata.name)?.containers[0].pid;
      if (pid) pids.add(pid);
    }
  };

  beforeAll(async () => {
    sim = await startSim({ runtime: { imageMap: fileURLToPath(new URL('./fixtures/images.yaml', import.meta.url)), nodePorts: { 30080: 0 } } });
    const file = join(sim.stateDir, 'hello.yaml');
    writeFileSync(file, manifest);
    await kubectl('apply', '-f', file);
    await kubectl('rollout', 'status', 'deployment/hello', '--timeout=45s');
    nodePort = defined(runtime().nodePorts.get(30080), 'the host port of node port 30080');
    recordPids();
  });

  afterAll(async () => {
    await sim?.stop();
  });

  it('runs the Deployment as ready pods on their own addresses, behind the Service and its node port', async () => {
    const running = await pods();
    expect(running).toHaveLength(2);
    for (const pod of running) {
      expect(pod.metadata.name).toMatch(/^hello-[bcdfghjklmnpqrstvwxz2456789]+-[a-z0-9]{5}$/);
      expect(pod.metadata.labels?.['pod-template-hash']).toBe(pod.metadata.name.split('-')[1]);
      expect(pod.status?.phase).toBe('Running');
      expect(pod.status?.podIP).toMatch(/^127\./);
    }
    const endpoints = parseJson<Endpoints>(await kubectl('get', 'endpoints', 'hello', '-o', 'json'));
    expect(endpoints.subsets?.[0].addresses?.map((a) => a.ip).sort()).toEqual(running.map(podIP).sort());
    const served = new Set<string>();
    for (let i = 0; i < 6; i++) served.add(await (await fetch(`http://127.0.0.1:${nodePort}/`, { headers: { connection: 'close' } })).text());
    expect([...served].sort()).toEqual(running.map((p) => `hello from ${p.metadata.name}`).sort());
  });

  it('gives pods cluster DNS and the Service variables', async () => {
    const [pod] = await pods();
    const inside = `http://${podIP(pod)}:8080`;
    expect(await (await fetch(`${inside}/call?url=${encodeURIComponent('http://hello.default.svc.cluster.local/')}`)).text()).toMatch(/^hello from hello-/);
    const env = (await (await fetch(`${inside}/env`)).json()) as Record<string, string>;
    expect(env).toMatchObject({ HELLO_SERVICE_PORT: '80', HELLO_SERVICE_PORT_WEB: '80', POD_NAME: pod.metadata.name, HOSTNAME: pod.metadata.name });
    expect(await (await fetch(`${inside}/call?url=${encodeURIComponent(`http://${env.HELLO_SERVICE_HOST}/`)}`)).text()).toMatch(/^hello from hello-/);
  });

  it('restarts a killed container: restartCount 1, Ready again', async () => {
    const [pod] = await pods();
    process.kill(defined(pidOf(pod.metadata.name), `the pid of ${pod.metadata.name}`), 'SIGKILL');
    await kubectl('wait', `pod/${pod.metadata.name}`, '--for=jsonpath={.status.containerStatuses[0].restartCount}=1', '--timeout=30s');
    await kubectl('wait', `pod/${pod.metadata.name}`, '--for=condition=Ready', '--timeout=30s');
    recordPids();
  });

  it('rolls out a restart under steady traffic without a failed request, and undoes it', async () => {
    const before = (await pods()).map((p) => p.metadata.labels?.['pod-template-hash'])[0];
    let stop = false;
    let ok = 0;
    const failures: string[] = [];
    // A connection per request: Services balance connections (L4), so a kept-alive one stays
    // pinned to its pod and ends with it, in Kubernetes as here.
    const loop = (async () => {
      while (!stop) {
        try {
          const response = await fetch(`http://127.0.0.1:${nodePort}/`, { headers: { connection: 'close' } });
          if (response.status === 200 && (await response.text()).startsWith('hello from')) ok++;
          else failures.push(`HTTP ${response.status}`);
        } catch (error) {
          failures.push(String((error as Error).cause ?? error));
        }
      }
    })();
    await kubectl('rollout', 'restart', 'deployment/hello');
    await kubectl('rollout', 'status', 'deployment/hello', '--timeout=45s');
    recordPids();
    stop = true;
    await loop;
    expect(failures).toEqual([]);
    expect(ok).toBeGreaterThan(10);
    const after = await pods();
    expect(after.every((p) => p.metadata.labels?.['pod-template-hash'] !== before)).toBe(true);

    await kubectl('rollout', 'undo', 'deployment/hello');
    await kubectl('rollout', 'status', 'deployment/hello', '--timeout=45s');
    recordPids();
    await expect.poll(async () => (await pods()).map((p) => p.metadata.labels?.['pod-template-hash'])).toEqual([before, before]);
    const deployment = parseJson<Deployment>(await kubectl('get', 'deployment', 'hello', '-o', 'json'));
    expect(deployment.metadata.annotations?.['deployment.kubernetes.io/revision']).toBe('3');
    expect(deployment.status).toMatchObject({
      replicas: 2,
      updatedReplicas: 2,
      readyReplicas: 2,
      availableReplicas: 2,
      observedGeneration: deployment.metadata.generation,
    });
  });

  it('serves kubectl logs (also -f), and port-forward to client-node', async () => {
    const [pod] = await pods();
    await fetch(`http://${podIP(pod)}:8080/logged-path`);
    expect(await kubectl('logs', pod.metadata.name, '--tail=50')).toContain('"url":"/logged-path"');

    // kubectl logs -f: a line the app writes now arrives on the open stream.
    const follow = spawn('kubectl', ['--kubeconfig', sim.kubeconfigPath, 'logs', '-f', '--tail=1', pod.metadata.name]);
    let followed = '';
    follow.stdout.on('data', (chunk: Buffer) => (followed += chunk.toString()));
    try {
      await expect.poll(() => followed.length).toBeGreaterThan(0);
      await fetch(`http://${podIP(pod)}:8080/while-following`);
      await expect.poll(() => followed).toContain('"url":"/while-following"');
    } finally {
      follow.kill();
    }

    // kubectl port-forward: src/streams/kubectl-port-forward.test.ts
    await getThroughPortForward(sim.kubeconfigPath, pod.metadata.name, 8080, `hello from ${pod.metadata.name}`);
  });

  it('shows an image it cannot run as ErrImagePull, with the reason', async () => {
    await kubectl('run', 'mystery', '--image=example.com/mystery:1', '--restart=Never');
    await kubectl('wait', 'pod/mystery', '--for=jsonpath={.status.containerStatuses[0].state.waiting.reason}=ErrImagePull', '--timeout=20s');
    // The pull error's message, also once the status has moved on to ImagePullBackOff (1 s later).
    const events = parseJson<List<{ reason: string; type: string; message: string }>>(
      await kubectl('get', 'events', '--field-selector', 'involvedObject.name=mystery', '-o', 'json'),
    ).items;
    expect(events.map((e) => `${e.type}/${e.reason}`)).toEqual(expect.arrayContaining(['Normal/Scheduled', 'Warning/Failed']));
    expect(events.find((e) => e.reason === 'Failed')?.message).toMatch(/kube-sim runs only the images mapped in/);
    await kubectl('delete', 'pod', 'mystery', '--wait=true');
  });

  it('runs a new pod that takes the name of a force-deleted one whose containers are still stopping', async () => {
    const pod = (generation: string) => ({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'again', namespace: 'default' },
      spec: {
        terminationGracePeriodSeconds: 2,
        containers: [
          // Without a probe a started process is Ready (as on Kubernetes), before it listens.
          {
            name: 'app',
            image: 'test/app:1.0',
            env: [{ name: 'GENERATION', value: generation }],
            readinessProbe: { httpGet: { path: '/readyz', port: 8080 }, periodSeconds: 1 },
          },
        ],
      },
    });
    sim.store.create('pods', pod('first'));
    await kubectl('wait', 'pod/again', '--for=condition=Ready', '--timeout=30s');
    // As `kubectl replace --force --grace-period=0`: the object goes at once, the successor follows at once.
    sim.store.delete('pods', 'default', 'again', { gracePeriodSeconds: 0 });
    sim.store.create('pods', pod('second'));
    await kubectl('wait', 'pod/again', '--for=condition=Ready', '--timeout=30s');
    const ip = podIP(parseJson<Pod>(await kubectl('get', 'pod', 'again', '-o', 'json')));
    expect(((await (await fetch(`http://${ip}:8080/env`)).json()) as Record<string, string>).GENERATION).toBe('second');
    await kubectl('delete', 'pod', 'again');
  });

  it('leaves no pod process behind when the simulator stops', async () => {
    expect(pids.size).toBeGreaterThanOrEqual(5); // every generation of pods seen during the tests
    expect(podProcesses(sim.stateDir).sort()).toEqual((await pods()).map((p) => pidOf(p.metadata.name)).sort());
    await sim.stop();
    expect(podProcesses(sim.stateDir)).toEqual([]);
    const alive = [...pids].filter((pid) => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    });
    expect(alive).toEqual([]);
  });
});

describe('node port mapping', () => {
  it("reads kind's extraPortMappings, and KUBE_SIM_NODE_PORTS pairs, rejecting malformed ones clearly", () => {
    expect(kindNodePorts()).toEqual({ 30080: 8080 });
    expect(parseNodePorts('30080=41234, 30081=0')).toEqual({ 30080: 41234, 30081: 0 });
    expect(() => parseNodePorts('30080:8080')).toThrow('KUBE_SIM_NODE_PORTS: "30080:8080" is not <nodePort>=<hostPort> (e.g. 30080=8080)');
  });
});
