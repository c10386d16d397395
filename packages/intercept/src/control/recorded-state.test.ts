// What ffk recorded on the objects is checked, not trusted: a signed original, restored only
// where nobody changed it since, and annotations parsed so that one bad workload never stops
// list, gc or uninstall of the others. On kube-sim, with kubectl as the teammate who edits.
import { defined } from '@ffk/test-kit/defined';
import type { V1Deployment } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANNOTATION, type DeploymentOriginal } from './annotations';
import { collectGarbage, listWorkloads } from './gc';
import { ensureAgent } from './install';
import { renewLease } from './lease';
import { uninstallAgent } from './restore';
import { appManifest, containersOf, type ControlSim, startControlSim } from './testing/sim';

describe('recorded state on kube-sim', { timeout: 120_000 }, () => {
  let sim: ControlSim;
  const names = ['edited', 'teammate', 'bad-lease', 'bad-record', 'fine'];
  const annotate = (name: string, key: string, value: string) => sim.kubectl('annotate', '--overwrite', `deployment/${name}`, `${key}=${value}`);

  beforeAll(async () => {
    sim = await startControlSim();
    await sim.apply(names.map((name) => appManifest(name, { portName: 'http', probeOnName: true })).join('---'));
    await Promise.all(names.map((name) => sim.kubectl('rollout', 'status', `deployment/${name}`, '--timeout=60s')));
    await Promise.all(names.map((name) => ensureAgent(sim.access(), name, { leaseSeconds: 60 })));
  }, 120_000);
  afterAll(() => sim?.stop());

  it('refuses to apply an original that was edited after the install (another image, privileged), changing nothing', async () => {
    const before = await sim.getJson<V1Deployment>('deployment', 'edited');
    const original = JSON.parse(defined(before.metadata?.annotations?.[ANNOTATION.original], 'the recorded original')) as DeploymentOriginal;
    original.fields.image = 'evil/miner:latest';
    original.fields.securityContext = { privileged: true };
    await annotate('edited', ANNOTATION.original, JSON.stringify(original));
    const error = await uninstallAgent(sim.access(), 'edited', { wait: false }).catch((e: Error) => e);
    expect((error as Error).message).toMatch(
      /^the ffk\.dev\/original annotation of deployment "edited" does not carry a valid signature by its agent's token .*ffk will not apply it; restore the Deployment by hand/,
    );
    const after = await sim.getJson<V1Deployment>('deployment', 'edited');
    expect(containersOf(after).map((c) => c.image)).toEqual(containersOf(before).map((c) => c.image));
    expect(JSON.stringify(after.spec)).not.toContain('privileged');
  });

  it('restores only the fields that still hold what ffk wrote, and names the ones a teammate changed', async () => {
    // A teammate moves the readiness probe after the install; the port rename is still ffk's.
    const installed = await sim.getJson<V1Deployment>('deployment', 'teammate');
    const probe = { tcpSocket: { port: 3000 }, periodSeconds: 2 };
    await sim.kubectl(
      'patch',
      'deployment/teammate',
      '--type=json',
      `-p=${JSON.stringify([{ op: 'replace', path: '/spec/template/spec/containers/0/readinessProbe', value: probe }])}`,
    );
    expect(containersOf(installed)[0].readinessProbe?.tcpSocket?.port).toBe('ffk-http');
    const progress: string[] = [];
    const result = await uninstallAgent(sim.access(), 'teammate', { wait: false, onProgress: (m) => progress.push(m) });
    expect(result).toMatchObject({ removed: true, leftFields: ['containers[app].readinessProbe'] });
    expect(progress.join('\n')).toContain(
      'deployment teammate: containers[app].readinessProbe was changed by someone since ffk installed the agent and was left as it is (ffk had recorded {',
    );
    expect(progress.join('\n')).toContain('"tcpSocket":{"port":"http"}');
    const after = containersOf(await sim.getJson<V1Deployment>('deployment', 'teammate'));
    expect(after.map((c) => c.name)).toEqual(['app']);
    expect(after[0].ports?.[0].name).toBe('http');
    expect(after[0].readinessProbe).toMatchObject(probe);
  });

  it('lists, collects and uninstalls the others when one workload has a corrupt lease date or agent record', async () => {
    await annotate('bad-lease', ANNOTATION.leaseExpires, 'not-a-date');
    await annotate('bad-record', ANNOTATION.agent, '{"ports":5,"image":null}');
    const listed = await listWorkloads(sim.access());
    const byName = Object.fromEntries(listed.map((w) => [w.name, w]));
    expect(byName['bad-lease']).toMatchObject({ installed: true, expired: true, leaseExpires: undefined });
    expect(byName['bad-record']).toMatchObject({ installed: true, record: undefined, expired: false });
    expect(byName.fine).toMatchObject({ installed: true, expired: false });

    // gc later than every lease: the one it cannot restore is reported, the others are collected.
    await annotate('edited', ANNOTATION.leaseExpires, 'garbage');
    const later = new Date(Date.now() + 120_000);
    const gc = await collectGarbage(sim.access(), { now: later, wait: false });
    expect(gc.removed.sort()).toEqual(['bad-lease', 'bad-record', 'fine']);
    expect(gc.failed.map((f) => f.name)).toEqual(['edited']);
    for (const name of gc.removed) expect(containersOf(await sim.getJson<V1Deployment>('deployment', name))).toHaveLength(1);
  });

  it('gc leaves an agent whose lease was renewed after it looked', async () => {
    await sim.apply(appManifest('renewed', { portName: 'http' }));
    await ensureAgent(sim.access(), 'renewed', { leaseSeconds: 60 });
    const gcTime = new Date(Date.now() + 120_000);
    // An intercept renews past the time gc judges by, between its list and its patch.
    await renewLease(sim.access(), 'renewed', { expires: new Date(gcTime.getTime() + 60_000), holder: 'alice@laptop' });
    const result = await uninstallAgent(sim.access(), 'renewed', { wait: false, onlyIfExpiredAt: gcTime });
    expect(result.removed).toBe(false);
    expect(containersOf(await sim.getJson<V1Deployment>('deployment', 'renewed'))).toHaveLength(2);
  });
});
