// Install, intercept through, restore and gc of the agent on kube-sim, through client-node,
// with kubectl as the independent witness of what the objects looked like before and after.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { nameOf, newestReadyPod, openPortForward } from '@ffk/cluster';
import { defined } from '@ffk/test-kit/defined';
import type { V1ConfigMap, V1Deployment, V1Endpoints, V1ObjectMeta, V1Service } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Connector } from '../connector/connector';
import { currentAgentBundle, DEFAULT_AGENT_IMAGE, needsUpgrade } from './agent-bundle';
import { AGENT_CONTAINER, ANNOTATION } from './annotations';
import { collectGarbage, listWorkloads } from './gc';
import { ensureAgent } from './install';
import { leaseOf, renewLease } from './lease';
import { isStale, patchDeployment } from './patch';
import { planInstall } from './plan';
import { choosePort } from './ports';
import { uninstallAgent } from './restore';
import { listServices } from './services';
import { getOver } from './testing/http-over';
import { appManifest, containersOf, type ControlSim, startControlSim } from './testing/sim';

/** What must come back exactly: everything but what the API server and controllers own. */
function comparable<T extends { metadata?: V1ObjectMeta; status?: unknown }>(object: T): T {
  const copy = structuredClone(object);
  delete copy.status;
  const metadata = defined(copy.metadata, 'metadata');
  delete metadata.resourceVersion;
  delete metadata.generation;
  delete metadata.managedFields;
  // The revision counter moves with every rollout, including the one that restores.
  delete metadata.annotations?.['deployment.kubernetes.io/revision'];
  return copy;
}

describe('agent install and restore on kube-sim', { timeout: 90_000 }, () => {
  let sim: ControlSim;
  let local: Server;
  let localPort: number;

  beforeAll(async () => {
    sim = await startControlSim();
    await sim.apply(appManifest('named', { portName: 'http', probeOnName: true }) + '---' + appManifest('numeric'));
    await Promise.all(['named', 'numeric'].map((name) => sim.kubectl('rollout', 'status', `deployment/${name}`, '--timeout=60s')));
    local = createServer((_req, res) => {
      res.setHeader('x-ffk-served-by', 'laptop');
      res.end('from the laptop');
    });
    await new Promise<void>((resolve) => local.listen(0, '127.0.0.1', resolve));
    localPort = (local.address() as AddressInfo).port;
  });

  afterAll(async () => {
    local?.close();
    await sim?.stop();
  });

  it('installs the sidecar with swapped port names, routes an intercept through it, and restores the Deployment exactly', async () => {
    const access = sim.access();
    const before = await sim.getJson<V1Deployment>('deployment', 'named');
    const serviceBefore = await sim.getJson<V1Service>('service', 'named');
    const progress: string[] = [];

    const agent = await ensureAgent(access, 'named', { onProgress: (m) => progress.push(m) });
    expect(agent.installedNow).toBe(true);
    expect(progress.join('\n')).toMatch(/waiting for the rollout of deployment named with the agent/);

    const installed = await sim.getJson<V1Deployment>('deployment', 'named');
    const [app, sidecar] = containersOf(installed);
    expect(app.ports).toEqual([{ name: 'ffk-http', containerPort: 3000, protocol: 'TCP' }]);
    expect(app.readinessProbe?.tcpSocket?.port).toBe('ffk-http');
    expect(sidecar.name).toBe(AGENT_CONTAINER);
    // The stock Node image, running the CLI's bundle from the ConfigMap: nothing to build or push.
    expect(sidecar.image).toBe(DEFAULT_AGENT_IMAGE);
    expect(sidecar.command).toEqual(['node', '/ffk-agent/agent.mjs']);
    expect(installed.spec?.template.spec?.volumes).toEqual([
      { name: 'ffk-agent', configMap: { name: 'ffk-agent-named', items: [{ key: 'agent.mjs', path: 'agent.mjs' }], defaultMode: 420 } },
    ]);
    const bundle = await currentAgentBundle();
    const configMap = await sim.getJson<V1ConfigMap>('configmap', 'ffk-agent-named');
    expect(configMap.data?.['agent.mjs']).toBe(bundle.code);
    expect(agent.record.version).toBe(bundle.version);
    expect(sidecar.ports?.[0]).toMatchObject({ name: 'http', containerPort: 9900 });
    // The token is referenced, never written into the spec.
    expect(JSON.stringify(sidecar.env)).not.toContain(agent.token);
    expect(installed.metadata?.annotations?.[ANNOTATION.agent]).toBeTruthy();
    // A named targetPort needs no Service change.
    expect(comparable(await sim.getJson<V1Service>('service', 'named'))).toEqual(comparable(serviceBefore));

    // The Service's port name now reaches the agent: passthrough to the app, then an intercept.
    const pod = nameOf(await newestReadyPod(access.kc, 'default', { app: 'named' }));
    const viaAgent = () => openPortForward(access.kc, 'default', pod, agent.record.ports[0].listen).then((s) => getOver(s, '/hello'));
    expect((await viaAgent()).servedBy).toBe(pod);
    const connector = new Connector({
      openStream: () => openPortForward(access.kc, 'default', pod, agent.record.tunnelPort),
      token: agent.token,
      intercept: { mode: 'global' },
      localPort,
    });
    await connector.start();
    try {
      expect(await viaAgent()).toMatchObject({ status: 200, body: 'from the laptop' });
    } finally {
      await connector.stop();
    }
    expect((await viaAgent()).servedBy).toBe(pod);

    // Installing again is a no-op.
    expect((await ensureAgent(access, 'named')).installedNow).toBe(false);

    const result = await uninstallAgent(access, 'named');
    expect(result.removed).toBe(true);
    expect(comparable(await sim.getJson<V1Deployment>('deployment', 'named'))).toEqual(comparable(before));
    expect(comparable(await sim.getJson<V1Service>('service', 'named'))).toEqual(comparable(serviceBefore));
    await expect(sim.kubectl('get', 'secret', 'ffk-agent-named')).rejects.toThrow(/NotFound/);
    await expect(sim.kubectl('get', 'configmap', 'ffk-agent-named')).rejects.toThrow(/NotFound/);
  });

  it('upgrades an agent installed by an older ffk with one rollout, keeping the recorded original', async () => {
    const access = sim.access();
    const before = await sim.getJson<V1Deployment>('deployment', 'named');
    const bundle = await currentAgentBundle();
    await ensureAgent(access, 'named', { bundle: { version: '0.0.9+0000000000', code: bundle.code } });
    const old = await sim.getJson<V1Deployment>('deployment', 'named');
    const progress: string[] = [];

    const upgraded = await ensureAgent(access, 'named', { onProgress: (m) => progress.push(m) });
    expect(upgraded).toMatchObject({ installedNow: false, upgradedFrom: '0.0.9+0000000000', record: { version: bundle.version } });
    expect(progress.join('\n')).toContain(`upgrading the ffk-agent sidecar of deployment named from 0.0.9+0000000000 to ${bundle.version}`);
    const after = await sim.getJson<V1Deployment>('deployment', 'named');
    expect(after.metadata?.generation).toBe(defined(old.metadata?.generation, 'the generation before the upgrade') + 1); // one rollout
    expect(after.metadata?.annotations?.[ANNOTATION.original]).toBe(old.metadata?.annotations?.[ANNOTATION.original]);
    const sidecar = containersOf(after).find((c) => c.name === AGENT_CONTAINER);
    expect(sidecar?.env).toContainEqual({ name: 'FFK_AGENT_VERSION', value: bundle.version });
    expect((await sim.getJson<V1ConfigMap>('configmap', 'ffk-agent-named')).metadata?.annotations?.['ffk.dev/agent-version']).toBe(bundle.version);
    // The same version again: nothing to do.
    expect((await ensureAgent(access, 'named')).upgradedFrom).toBeUndefined();
    expect((await sim.getJson<V1Deployment>('deployment', 'named')).metadata?.generation).toBe(after.metadata?.generation);

    await uninstallAgent(access, 'named');
    expect(comparable(await sim.getJson<V1Deployment>('deployment', 'named'))).toEqual(comparable(before));
  });

  it('upgrades older agents and agents from their own image, never a newer one', () => {
    expect(needsUpgrade(undefined, '0.2.0+aaaa')).toBe(true);
    expect(needsUpgrade('0.1.0+bbbb', '0.2.0+aaaa')).toBe(true);
    expect(needsUpgrade('0.2.0+bbbb', '0.2.0+aaaa')).toBe(true); // same release, other code
    expect(needsUpgrade('0.2.0+aaaa', '0.2.0+aaaa')).toBe(false);
    expect(needsUpgrade('0.10.0+cccc', '0.2.0+aaaa')).toBe(false);
  });

  it('rewrites a numeric Service targetPort to the agent after the rollout, and restores it', async () => {
    const access = sim.access();
    const before = await sim.getJson<V1Deployment>('deployment', 'numeric');
    const serviceBefore = await sim.getJson<V1Service>('service', 'numeric');

    const agent = await ensureAgent(access, 'numeric');
    expect(agent.rewrittenServices).toEqual(['numeric']);
    const service = await sim.getJson<V1Service>('service', 'numeric');
    expect(service.spec?.ports?.[0].targetPort).toBe('ffk-3000');
    // The unnamed app port keeps its number and gains no name; the agent's port carries ffk-3000.
    const installed = await sim.getJson<V1Deployment>('deployment', 'numeric');
    expect(containersOf(installed)[0].ports).toEqual(containersOf(before)[0].ports);
    expect(containersOf(installed)[1].ports?.[0]).toMatchObject({ name: 'ffk-3000', containerPort: 9900 });
    const endpoints = await sim.getJson<V1Endpoints>('endpoints', 'numeric');
    expect(endpoints.subsets?.[0].ports?.[0].port).toBe(9900);

    await uninstallAgent(access, 'numeric');
    expect(comparable(await sim.getJson<V1Service>('service', 'numeric'))).toEqual(comparable(serviceBefore));
    expect(comparable(await sim.getJson<V1Deployment>('deployment', 'numeric'))).toEqual(comparable(before));
  });

  it('refuses a patch planned from a stale read (resourceVersion test), changing nothing', async () => {
    const access = sim.access();
    const stale = await sim.getJson<V1Deployment>('deployment', 'numeric');
    await sim.kubectl('label', 'deployment', 'numeric', 'touched=yes');
    const choice = choosePort(stale, await listServices(access));
    const plan = planInstall(stale, choice, {
      image: DEFAULT_AGENT_IMAGE,
      version: '0.0.0',
      bundle: 'ffk-agent-numeric',
      secret: 'x',
      token: 'test-token',
      lease: { expires: new Date(), holder: 'me' },
    });
    const error = await patchDeployment(access, 'numeric', plan.ops).catch((e: unknown) => e);
    expect(isStale(error)).toBe(true);
    const after = await sim.getJson<V1Deployment>('deployment', 'numeric');
    expect(containersOf(after)).toHaveLength(1);
    expect(after.metadata?.annotations?.[ANNOTATION.agent]).toBeUndefined();
  });

  it('names the ports when the requested one is not among them', async () => {
    const error = await ensureAgent(sim.access(), 'named', { port: '8081' }).catch((e: Error) => e);
    expect((error as Error).message).toBe(
      'port 8081 is not among the ports of deployment "named": container app http (3000); Service named web 80 -> http; pass --port <local>:<one of them>',
    );
  });

  it('renews the lease while in use, and gc removes the agent once it has expired', async () => {
    const access = sim.access();
    await ensureAgent(access, 'named', { leaseSeconds: 60, holder: 'alice@laptop' });
    const soon = new Date(Date.now() + 600_000);
    await renewLease(access, 'named', { expires: soon, holder: 'bob@desk' });
    const lease = leaseOf(await sim.getJson<V1Deployment>('deployment', 'named'));
    expect(lease).toEqual({ expires: soon, holder: 'bob@desk' });

    // Not yet expired: gc leaves it.
    expect(await collectGarbage(access, { wait: false })).toEqual({ removed: [], failed: [] });
    const listed = (await listWorkloads(access)).find((w) => w.name === 'named');
    expect(listed).toMatchObject({ installed: true, expired: false, leaseHolder: 'bob@desk' });

    // Later than the lease: gc uninstalls.
    expect(await collectGarbage(access, { now: new Date(soon.getTime() + 1000), wait: false })).toEqual({ removed: ['named'], failed: [] });
    const after = await sim.getJson<V1Deployment>('deployment', 'named');
    expect(containersOf(after).map((c) => c.name)).toEqual(['app']);
    expect(containersOf(after)[0].ports?.[0].name).toBe('http');
  });

  it('gc that finds the lease renewed while it ran keeps the agent and points the Service it had restored at it again', async () => {
    const access = sim.access();
    await ensureAgent(access, 'numeric', { leaseSeconds: 60, holder: 'alice@laptop' });
    const gcTime = new Date(Date.now() + 3_600_000); // alice's lease has long expired by then
    // Bob's `ffk intercept` renews the lease right after gc put the Service back: the simulator
    // applies it inside that write, so gc's next read of the Deployment sees it.
    const renewed = { [ANNOTATION.leaseExpires]: new Date(gcTime.getTime() + 900_000).toISOString(), [ANNOTATION.leaseHolder]: 'bob@desk' };
    const unsubscribe = sim.store.subscribe((event) => {
      const service = event.object as V1Service;
      if (event.resource !== 'services' || service.metadata?.name !== 'numeric' || service.spec?.ports?.[0].targetPort !== 3000) return;
      unsubscribe();
      sim.store.patch('deployments', 'default', 'numeric', 'merge', { metadata: { annotations: renewed } });
    });
    const progress: string[] = [];
    try {
      expect(await collectGarbage(access, { now: gcTime, wait: false, onProgress: (message) => progress.push(message) })).toEqual({ removed: [], failed: [] });
    } finally {
      unsubscribe();
    }
    expect((await sim.getJson<V1Service>('service', 'numeric')).spec?.ports?.[0].targetPort).toBe('ffk-3000');
    expect(progress).toEqual([
      'service numeric: targetPort restored',
      'deployment numeric: its lease was renewed while gc ran; the agent stays and service numeric points at it again',
    ]);
    const deployment = await sim.getJson<V1Deployment>('deployment', 'numeric');
    expect(containersOf(deployment).map((c) => c.name)).toEqual(['app', AGENT_CONTAINER]);
    expect(leaseOf(deployment)).toEqual({ expires: new Date(renewed[ANNOTATION.leaseExpires]), holder: 'bob@desk' });
    await uninstallAgent(access, 'numeric');
  });
});
