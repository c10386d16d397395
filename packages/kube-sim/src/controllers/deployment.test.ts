// Rollouts through the API server with real pods (the fixture app): the bounds a rolling update
// must keep at every moment, Recreate's gap, and the progress deadline kubectl reports.
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Deployment, Pod } from '../runtime/kube-types';
import { type Sim, startSim } from '../sim';
import { parseJson } from '../testing/json';

const run = promisify(execFile);

const deployment = (name: string, spec: string) => `
apiVersion: apps/v1
kind: Deployment
metadata: { name: ${name} }
spec:
  selector: { matchLabels: { app: ${name} } }
${spec}
  template:
    metadata: { labels: { app: ${name} } }
    spec:
      terminationGracePeriodSeconds: 5
      containers:
        - name: app
          image: test/app:1.0
          ports: [{ containerPort: 8080 }]
          env: [{ name: READY_AFTER_MS, value: "300" }]
          readinessProbe: { httpGet: { path: /readyz, port: 8080 }, periodSeconds: 1 }
`;

describe('Deployment rollouts', { timeout: 90_000 }, () => {
  let sim: Sim;
  const kubectl = async (...args: string[]) => (await run('kubectl', ['--kubeconfig', sim.kubeconfigPath, ...args], { encoding: 'utf8' })).stdout;
  const apply = async (name: string, yaml: string) => {
    const file = join(sim.stateDir, `${name}.yaml`);
    writeFileSync(file, yaml);
    await kubectl('apply', '-f', file);
  };
  const ready = (pod: Pod) => pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True');

  /** Every moment of the app's pods during `during()`: how many exist (not terminating), how many are ready. */
  async function observe(app: string, during: () => Promise<void>) {
    const moments: { live: number; ready: number; hashes: Set<string> }[] = [];
    const sample = () => {
      const pods = sim.store.list<Pod>('pods', { namespace: 'default', labelSelector: `app=${app}` }).items.filter((p) => !p.metadata.deletionTimestamp);
      moments.push({ live: pods.length, ready: pods.filter(ready).length, hashes: new Set(pods.map((p) => p.metadata.labels?.['pod-template-hash'] ?? '')) });
    };
    const stop = sim.store.subscribe((event) => event.resource === 'pods' && sample());
    try {
      await during();
    } finally {
      stop();
    }
    return moments;
  }

  /** Applies a Deployment, waits for it, then restarts it and returns every moment of the rollout. */
  async function restartObserved(name: string, spec: string) {
    await apply(name, deployment(name, spec));
    await kubectl('rollout', 'status', `deployment/${name}`, '--timeout=60s');
    return observe(name, async () => {
      await kubectl('rollout', 'restart', `deployment/${name}`);
      await kubectl('rollout', 'status', `deployment/${name}`, '--timeout=60s');
    });
  }

  beforeAll(async () => {
    sim = await startSim({ runtime: { imageMap: fileURLToPath(new URL('../runtime/fixtures/images.yaml', import.meta.url)), nodePorts: {} } });
  });
  afterAll(() => sim?.stop());

  it('keeps a rolling update within maxSurge and maxUnavailable, counting ready pods', async () => {
    const moments = await restartObserved('surge', '  replicas: 3\n  strategy: { rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } }');
    expect(Math.max(...moments.map((m) => m.live))).toBe(4); // it did surge, by one
    expect(Math.min(...moments.map((m) => m.ready))).toBeGreaterThanOrEqual(3); // and never dipped below 3 ready
    const { status } = parseJson<Deployment>(await kubectl('get', 'deployment', 'surge', '-o', 'json'));
    expect(status).toMatchObject({ replicas: 3, updatedReplicas: 3, readyReplicas: 3, availableReplicas: 3 });
    expect((status?.conditions ?? []).map((c) => `${c.type}=${c.reason}`)).toEqual([
      'Available=MinimumReplicasAvailable',
      'Progressing=NewReplicaSetAvailable',
    ]);
  });

  it('with maxSurge 0, replaces pods one unavailable at a time', async () => {
    const moments = await restartObserved('nosurge', '  replicas: 3\n  strategy: { rollingUpdate: { maxSurge: 0, maxUnavailable: 1 } }');
    expect(Math.max(...moments.map((m) => m.live))).toBe(3);
    expect(Math.min(...moments.map((m) => m.ready))).toBe(2);
  });

  it('Recreate: no new pod while an old one runs', async () => {
    const moments = await restartObserved('recreate', '  replicas: 2\n  strategy: { type: Recreate }');
    expect(moments.every((m) => m.hashes.size <= 1)).toBe(true);
    expect(moments.some((m) => m.live === 0)).toBe(true);
  });

  it('reports ProgressDeadlineExceeded, which fails kubectl rollout status', async () => {
    await apply('stuck', deployment('stuck', '  replicas: 1\n  progressDeadlineSeconds: 2').replace('test/app:1.0', 'example.com/never:1'));
    const outcome = await kubectl('rollout', 'status', 'deployment/stuck', '--timeout=30s').then(
      () => 'rolled out',
      (error: { stderr: string }) => error.stderr,
    );
    expect(outcome).toContain('deployment "stuck" exceeded its progress deadline');
  });
});
