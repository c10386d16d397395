// A gRPC workload intercepted on kube-sim, the agent installed by the session on a port named
// "grpc", the tunnel a real port-forward: calls with the developer's metadata reach their process.
import { nameOf, newestReadyPod } from '@ffk/cluster';
import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ControlSim, startControlSim } from '../control/testing/sim';
import { type GrpcServer, startGrpcServer, type WhoClient, whoClient } from '../testing/grpc-servers';
import { InterceptSession } from './session';

const MANIFEST = `
apiVersion: apps/v1
kind: Deployment
metadata: { name: rpc, labels: { app: rpc } }
spec:
  replicas: 1
  selector: { matchLabels: { app: rpc } }
  template:
    metadata: { labels: { app: rpc } }
    spec:
      terminationGracePeriodSeconds: 2
      containers:
        - name: app
          image: ffk/test-grpc:1
          imagePullPolicy: IfNotPresent
          ports: [{ name: grpc, containerPort: 3000 }]
          env:
            - { name: PORT, value: "3000" }
            - { name: POD_NAME, valueFrom: { fieldRef: { fieldPath: metadata.name } } }
          readinessProbe: { tcpSocket: { port: 3000 }, periodSeconds: 1 }
---
apiVersion: v1
kind: Service
metadata: { name: rpc }
spec:
  selector: { app: rpc }
  ports: [{ name: grpc, port: 50051, targetPort: grpc, appProtocol: kubernetes.io/h2c }]
`;

/** Who answered a unary call carrying `user` as x-ffk-user metadata (none without it). */
function whoAnswers(client: WhoClient, user?: string): Promise<string> {
  const metadata = new grpc.Metadata();
  if (user) metadata.set('x-ffk-user', user);
  return new Promise((resolve, reject) => client.Ask({ text: 'hi' }, metadata, (error, answer) => (error ? reject(error) : resolve(answer.who))));
}

describe('gRPC intercept session on kube-sim', { timeout: 90_000 }, () => {
  let sim: ControlSim;
  let alice: GrpcServer;

  beforeAll(async () => {
    sim = await startControlSim();
    await sim.apply(MANIFEST);
    await sim.kubectl('rollout', 'status', 'deployment/rpc', '--timeout=60s');
    alice = await startGrpcServer('alice');
  });
  afterAll(async () => {
    await alice?.close();
    await sim?.stop();
  });

  it("routes alice's calls to her process by metadata and the rest to the pod, and gives them back on close", async () => {
    const access = sim.access();
    const session = new InterceptSession({
      access,
      deployment: 'rpc',
      intercept: { mode: 'personal', value: 'alice' },
      localPort: alice.port,
      leaseSeconds: 60,
    });
    let client: WhoClient | undefined;
    try {
      await session.ensureAgent();
      const ready = await session.openTunnels();
      // A port named grpc is routed per call, so a personal intercept can take it.
      expect(ready.port).toMatchObject({ name: 'grpc', app: 3000 });
      const pod = await newestReadyPod(access.kc, 'default', { app: 'rpc' });
      // The agent's service port at the pod's own (loopback) address, as the Service reaches it.
      client = whoClient(`${pod.status?.podIP}:9900`);
      expect(await whoAnswers(client, 'alice')).toBe('alice');
      expect(await whoAnswers(client)).toBe(nameOf(pod));
      expect(await whoAnswers(client, 'bob')).toBe(nameOf(pod));
    } finally {
      await session.close();
    }
    expect(await whoAnswers(client, 'alice')).toMatch(/^rpc-/);
    client.close();
  });
});
