// The laptop-side session on kube-sim with pods running the real agent: what a developer sees
// through the Service while a session is active, after close(), and after an abort mid-start.
import type { Server } from 'node:http';
import { nameOf, newestReadyPod, openPortForward } from '@ffk/cluster';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getOver } from '../control/testing/http-over';
import { type ControlSim, deployApp, startControlSim, startLaptopServer } from '../control/testing/sim';
import { InterceptSession, SessionInterrupted } from './session';

describe('intercept session on kube-sim', { timeout: 90_000 }, () => {
  let sim: ControlSim;
  let local: Server;
  let localPort: number;

  const viaAgent = async (path: string) => {
    const access = sim.access();
    const pod = nameOf(await newestReadyPod(access.kc, 'default', { app: 'sess' }));
    return getOver(await openPortForward(access.kc, 'default', pod, 9900), path);
  };

  beforeAll(async () => {
    sim = await startControlSim();
    await deployApp(sim, 'sess', { portName: 'http' });
    ({ server: local, port: localPort } = await startLaptopServer());
  });

  afterAll(async () => {
    local?.close();
    await sim?.stop();
  });

  it('installs the agent, routes the workload to the local port with the environment imported, and gives it back on close', async () => {
    const progress: string[] = [];
    const session = new InterceptSession({
      access: sim.access(),
      deployment: 'sess',
      intercept: { mode: 'global' },
      localPort,
      leaseSeconds: 60,
      onProgress: (m) => progress.push(m),
    });
    try {
      const agent = await session.ensureAgent();
      expect(agent.installedNow).toBe(true);
      expect(progress.join('\n')).toContain('waiting for the rollout of deployment sess with the agent');
      const ready = await session.openTunnels();
      expect(ready.pods).toHaveLength(1);
      expect(ready.port).toMatchObject({ name: 'http', app: 3000 });
      expect((await viaAgent('/a')).body).toBe('laptop /a');
      const environment = await session.importEnvironment();
      // The pod's PORT 3000 becomes the port the connector delivers to.
      expect(environment.env.PORT).toBe(String(localPort));
      expect(environment.rewritten).toContainEqual({ name: 'PORT', from: '3000', to: String(localPort) });
    } finally {
      await session.close();
    }
    expect((await viaAgent('/a')).servedBy).toMatch(/^sess-/);
    await session.close(); // twice is harmless
  });

  it('stops at the next step when aborted during the start, with nothing left routing to the laptop', async () => {
    const stop = new AbortController();
    const session = new InterceptSession({ access: sim.access(), deployment: 'sess', intercept: { mode: 'global' }, localPort, signal: stop.signal });
    const agent = session.ensureAgent();
    stop.abort('Ctrl-C');
    await expect(agent).rejects.toThrow(SessionInterrupted);
    await expect(agent).rejects.toThrow('Ctrl-C');
    await session.close();
    expect((await viaAgent('/b')).servedBy).toMatch(/^sess-/);
  });
});
