// Pods from local Docker images, through kubectl and client-node: a Deployment whose image the
// engine has runs as containers of it (labelled with the simulator), with the pod semantics the
// kit relies on. Needs a Docker engine: without one it is skipped and says why.
import { execFile, spawn } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSim, type Sim } from '../../sim';
import { getThroughPortForward } from '../fixtures/port-forward';
import type { Pod } from '../kube-types';
import { SIM_LABEL } from './labels';
import { noDockerReason, testImage } from './fixtures/test-image';

const run = promisify(execFile);

const skipReason = await noDockerReason();
const requireDocker = process.env.REQUIRE_DOCKER === '1';
if (skipReason && !requireDocker) console.log(`kube-sim container tests skipped: ${skipReason}; they run where a Docker engine answers (REQUIRE_DOCKER=1 makes this a failure)`);

it.runIf(skipReason !== undefined && requireDocker)('has a Docker engine, as REQUIRE_DOCKER=1 demands', () => {
  expect.fail(`REQUIRE_DOCKER=1 but ${skipReason}`);
});

/** Containers on the engine with every given label (`key=value`), as `docker ps` lists them. */
async function dockerPs(...labels: string[]): Promise<{ ID: string; Image: string; Labels: string; Names: string }[]> {
  const { stdout } = await run('docker', ['ps', '-a', '--no-trunc', '--format', '{{json .}}', ...labels.flatMap((label) => ['--filter', `label=${label}`])]);
  return stdout.trim().split('\n').filter(Boolean).map((line) => JSON.parse(line));
}

const manifest = (image: string) => `
apiVersion: v1
kind: ConfigMap
metadata: { name: web-config }
data: { GREETING: hello from a ConfigMap, greeting.txt: "file from a ConfigMap" }
---
apiVersion: v1
kind: Secret
metadata: { name: web-secret }
stringData: { PASSWORD: s3cret, password.txt: "file from a Secret" }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: web }
spec:
  replicas: 1
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec:
      terminationGracePeriodSeconds: 5
      volumes:
        - { name: config, configMap: { name: web-config, items: [{ key: greeting.txt, path: greeting }] } }
        - { name: secret, secret: { secretName: web-secret } }
        - { name: scratch, emptyDir: {} }
      containers:
        - name: app
          image: ${image}
          ports: [{ name: http, containerPort: 8080 }]
          env:
            - { name: POD_NAME, valueFrom: { fieldRef: { fieldPath: metadata.name } } }
            - { name: GREETING, valueFrom: { configMapKeyRef: { name: web-config, key: GREETING } } }
            - { name: PASSWORD, valueFrom: { secretKeyRef: { name: web-secret, key: PASSWORD } } }
          readinessProbe: { httpGet: { path: /readyz, port: http }, periodSeconds: 1 }
          livenessProbe: { tcpSocket: { port: http }, periodSeconds: 1, failureThreshold: 10 }
        - name: sidecar
          image: ${image}
          command: [node, sidecar.ts]
          env: [{ name: PORT, value: "9090" }, { name: APP_PORT, value: "8080" }]
          readinessProbe: { tcpSocket: { port: 9090 }, periodSeconds: 1 }
          volumeMounts:
            - { name: config, mountPath: /etc/config }
            - { name: secret, mountPath: /etc/secret }
            - { name: scratch, mountPath: /scratch }
---
apiVersion: v1
kind: Service
metadata: { name: web }
spec:
  selector: { app: web }
  ports: [{ name: http, port: 80, targetPort: http }]
`;

describe.skipIf(skipReason !== undefined)('pods from local Docker images', { timeout: 90_000 }, () => {
  let sim: Sim;
  let image: string;
  const kubectl = async (...args: string[]) => (await run('kubectl', ['--kubeconfig', sim.kubeconfigPath, ...args], { encoding: 'utf8' })).stdout;
  const webPod = async () => JSON.parse(await kubectl('get', 'pods', '-l', 'app=web', '-o', 'json')).items[0] as Pod;

  beforeAll(async () => {
    image = await testImage();
    sim = await startSim({ runtime: { imageMap: fileURLToPath(new URL('../fixtures/images.yaml', import.meta.url)), nodePorts: {} } });
    const file = join(sim.stateDir, 'web.yaml');
    writeFileSync(file, manifest(image));
    await kubectl('apply', '-f', file);
    await kubectl('rollout', 'status', 'deployment/web', '--timeout=60s');
  }, 120_000);

  afterAll(async () => {
    await sim?.stop();
  });

  it('runs each container of the pod from the image, labelled with the simulator and the pod', async () => {
    const pod = await webPod();
    const listed = await dockerPs(`${SIM_LABEL}=${sim.runtime!.docker!.simId}`, `io.kubernetes.pod.uid=${pod.metadata.uid}`);
    expect(listed.map((c) => c.Image)).toEqual([image, image]);
    expect(listed.map((c) => c.Names).sort()).toEqual(['app', 'sidecar'].map((name) => `k8s_${name}_${pod.metadata.name}_default_${pod.metadata.uid}_0`));
    for (const status of pod.status!.containerStatuses!) {
      expect(status.containerID).toMatch(/^docker:\/\/[0-9a-f]{64}$/);
      expect(listed.map((c) => `docker://${c.ID}`)).toContain(status.containerID);
      expect(status.imageID).toMatch(/^sha256:/);
      expect(status.restartCount).toBe(0);
    }
    expect(pod.status).toMatchObject({ phase: 'Running', podIP: expect.stringMatching(/^127\./) });
    // The image's USER (1000), not the simulator's root.
    expect(await (await fetch(`http://${pod.status!.podIP}:9090/whoami`)).json()).toEqual({ uid: 1000, gid: 1000 });
  });

  it('lets the sidecar reach the app on 127.0.0.1, and shares an emptyDir', async () => {
    const pod = await webPod();
    expect(await (await fetch(`http://${pod.status!.podIP}:9090/via-localhost`)).text()).toBe(`sidecar saw: hello from ${pod.metadata.name}`);
  });

  it('serves the pod through its Service and through port-forward (client-node and kubectl)', async () => {
    const pod = await webPod();
    const serviceAddress = sim.runtime!.network.addressOf('default', 'web');
    expect(await (await fetch(`http://${serviceAddress}:80/`, { headers: { connection: 'close' } })).text()).toBe(`hello from ${pod.metadata.name}`);

    await getThroughPortForward(sim.kubeconfigPath, pod.metadata.name!, 8080, `hello from ${pod.metadata.name}`);

    const forward = spawn('kubectl', ['--kubeconfig', sim.kubeconfigPath, 'port-forward', 'svc/web', ':80']);
    try {
      let printed = '';
      forward.stdout.on('data', (chunk: Buffer) => (printed += chunk));
      await expect.poll(() => printed, { timeout: 15_000 }).toMatch(/Forwarding from 127\.0\.0\.1:\d+/);
      const port = /127\.0\.0\.1:(\d+)/.exec(printed)![1];
      expect(await (await fetch(`http://127.0.0.1:${port}/`)).text()).toBe(`hello from ${pod.metadata.name}`);
    } finally {
      forward.kill();
    }
  });

  it('gives env from the ConfigMap and the Secret, and mounts both as files', async () => {
    const pod = await webPod();
    const env = (await (await fetch(`http://${pod.status!.podIP}:8080/env`)).json()) as Record<string, string>;
    expect(env).toMatchObject({ GREETING: 'hello from a ConfigMap', PASSWORD: 's3cret', POD_NAME: pod.metadata.name, HOSTNAME: pod.metadata.name, WEB_SERVICE_PORT: '80' });
    const file = async (path: string) => (await fetch(`http://${pod.status!.podIP}:9090/file?path=${encodeURIComponent(path)}`)).text();
    expect(await file('/etc/config/greeting')).toBe('file from a ConfigMap');
    expect(await file('/etc/secret/password.txt')).toBe('file from a Secret');
    expect(await file('/etc/secret/PASSWORD')).toBe('s3cret');
  });

  it('serves kubectl logs of each container', async () => {
    const pod = await webPod();
    await fetch(`http://${pod.status!.podIP}:8080/logged-from-a-container`);
    await expect.poll(async () => kubectl('logs', pod.metadata.name!, '-c', 'app'), { timeout: 10_000 }).toContain('"url":"/logged-from-a-container"');
    expect(await kubectl('logs', pod.metadata.name!, '-c', 'app')).toContain('"msg":"listening"');
  });

  it('restarts a killed container: restartCount 1, the previous log kept, Ready again', async () => {
    const pod = await webPod();
    const app = pod.status!.containerStatuses!.find((c) => c.name === 'app')!;
    await run('docker', ['kill', app.containerID!.replace('docker://', '')]);
    await kubectl('wait', `pod/${pod.metadata.name}`, '--for=jsonpath={.status.containerStatuses[0].restartCount}=1', '--timeout=30s');
    await kubectl('wait', `pod/${pod.metadata.name}`, '--for=condition=Ready', '--timeout=30s');
    const after = await webPod();
    const status = after.status!.containerStatuses!.find((c) => c.name === 'app')!;
    expect(status.lastState.terminated).toMatchObject({ exitCode: 137, reason: 'Error', containerID: app.containerID });
    expect(status.containerID).not.toBe(app.containerID);
    expect(await kubectl('logs', after.metadata.name!, '-c', 'app', '--previous')).toContain('"msg":"listening"');
    // The killed run was removed from the engine; only the running one is there.
    expect((await dockerPs(`io.kubernetes.pod.uid=${pod.metadata.uid}`, 'io.kubernetes.container.name=app')).map((c) => `docker://${c.ID}`)).toEqual([status.containerID]);
  });

  it('stops a deleted pod gracefully (SIGTERM), and leaves none of its containers behind', async () => {
    const pod = await webPod();
    const log = sim.runtime!.kubelet.worker('default', pod.metadata.name!)!.containers[0].log()!;
    let final: Pod | undefined;
    const stopWatch = sim.store.watch('pods', { namespace: 'default' }, (event) => {
      if (event.object.metadata.uid === pod.metadata.uid && event.type === 'MODIFIED') final = event.object as unknown as Pod;
    });
    const started = Date.now();
    await kubectl('delete', 'pod', pod.metadata.name!, '--wait=true');
    stopWatch();
    expect(Date.now() - started).toBeLessThan(5000); // the app exits on SIGTERM, well within its grace period
    expect(log.snapshot().map((line) => line.text)).toContain('{"level":"info","msg":"shutting down"}');
    expect(final?.status?.containerStatuses?.find((c) => c.name === 'app')?.state.terminated).toMatchObject({ exitCode: 0, reason: 'Completed' });
    expect(await dockerPs(`io.kubernetes.pod.uid=${pod.metadata.uid}`)).toEqual([]);
    await kubectl('rollout', 'status', 'deployment/web', '--timeout=60s');
  });

  it('SIGKILLs a container that ignores SIGTERM once the grace period is over', async () => {
    sim.store.create('pods', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'stubborn', namespace: 'default' },
      spec: {
        terminationGracePeriodSeconds: 2,
        containers: [{ name: 'app', image, command: ['node', '-e', "process.on('SIGTERM', () => console.log('ignoring SIGTERM')); setInterval(() => {}, 1000); console.log('up')"] }],
      },
    });
    await kubectl('wait', 'pod/stubborn', '--for=condition=Ready', '--timeout=30s');
    const uid = sim.store.get('pods', 'default', 'stubborn').metadata.uid;
    await expect.poll(async () => kubectl('logs', 'stubborn'), { timeout: 10_000 }).toContain('up');
    const started = Date.now();
    await kubectl('delete', 'pod', 'stubborn', '--wait=true');
    expect(Date.now() - started).toBeGreaterThanOrEqual(1900);
    expect(await dockerPs(`io.kubernetes.pod.uid=${uid}`)).toEqual([]);
  });

  it('runs an image the engine does not have as a process, as before', async () => {
    await kubectl('run', 'plain', '--image=test/app:1.0', '--env=PORT=8080');
    await kubectl('wait', 'pod/plain', '--for=condition=Ready', '--timeout=30s');
    const pod = JSON.parse(await kubectl('get', 'pod', 'plain', '-o', 'json')) as Pod;
    expect(pod.status!.containerStatuses![0].containerID).toMatch(/^kube-sim:\/\//);
    await kubectl('delete', 'pod', 'plain');
  });

  it('does not run a program other than Node from the image (it would get no pod address): the image map decides', async () => {
    await kubectl('run', 'shell', `--image=${image}`, '--command', '--', '/bin/sh', '-c', 'sleep 600');
    await kubectl('wait', 'pod/shell', '--for=jsonpath={.status.containerStatuses[0].state.waiting.reason}=ErrImagePull', '--timeout=20s');
    const pod = JSON.parse(await kubectl('get', 'pod', 'shell', '-o', 'json')) as Pod;
    const events = JSON.parse(await kubectl('get', 'events', '--field-selector', 'involvedObject.name=shell,reason=Failed', '-o', 'json')).items as { message: string }[];
    expect(events[0]?.message).toMatch(/kube-sim runs only the images mapped in/);
    expect(await dockerPs(`io.kubernetes.pod.uid=${pod.metadata.uid}`)).toEqual([]);
    await kubectl('delete', 'pod', 'shell');
  });

  it('leaves no container behind when the simulator stops', async () => {
    const simId = sim.runtime!.docker!.simId;
    expect((await dockerPs(`${SIM_LABEL}=${simId}`)).length).toBeGreaterThan(0);
    await sim.stop();
    expect(await dockerPs(`${SIM_LABEL}=${simId}`)).toEqual([]);
  });
});

describe.skipIf(skipReason !== undefined)('a SIGKILLed simulator', { timeout: 60_000 }, () => {
  it('leaves no container behind: its reaper removes them', async () => {
    const image = await testImage();
    const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./fixtures/sim-with-container.ts', import.meta.url)), image], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let printed = '';
    child.stdout.on('data', (chunk: Buffer) => (printed += chunk));
    await expect.poll(() => printed, { timeout: 30_000 }).toContain('simId');
    const { simId, stateDir } = JSON.parse(printed) as { simId: string; stateDir: string };
    try {
      expect(await dockerPs(`${SIM_LABEL}=${simId}`)).toHaveLength(1);
      child.kill('SIGKILL');
      await expect.poll(async () => dockerPs(`${SIM_LABEL}=${simId}`), { timeout: 10_000 }).toEqual([]);
    } finally {
      rmSync(stateDir, { recursive: true, force: true }); // a killed simulator cannot clean up its state dir
    }
  });
});
