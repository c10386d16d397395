import { defined } from '@ffk/test-kit/defined';
import pg from 'pg';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { appContainer as app, podCondition as condition, testPods } from './fixtures/test-pods';
import type { PodWorker } from './pod-worker';
import { findPostgresBin } from './postgres';

describe('pod worker', { timeout: 30_000 }, () => {
  const pods = testPods({
    secret: (_ns, name) => (name === 'db' ? { metadata: { name }, data: { password: Buffer.from('s3cret').toString('base64') } } : undefined),
  });
  const run = pods.run;
  const statuses = (worker: PodWorker) => defined(worker.status().containerStatuses, 'container statuses');
  const pidOf = (worker: PodWorker) => defined(worker.containers[0].pid, 'the pid of the first container');
  afterEach(() => pods.stopAll());
  afterAll(() => pods.close());

  it('runs a pod on its own address, Ready once the readiness probe passes', async () => {
    const worker = run('web-1', [app({ env: [...(app().env ?? []), { name: 'READY_AFTER_MS', value: '400' }] })]);
    await expect.poll(() => worker.status().phase, { timeout: 15_000 }).toBe('Running');
    expect(condition(worker, 'Ready')).toBe('False');
    await expect.poll(() => condition(worker, 'Ready'), { timeout: 15_000 }).toBe('True');
    const status = worker.status();
    expect(status.podIP).toMatch(/^127\.\d+\.\d+\.\d+$/);
    expect(status.containerStatuses?.[0]).toMatchObject({ name: 'app', ready: true, started: true, restartCount: 0, state: { running: {} } });
    expect(await (await fetch(`http://${status.podIP}:8080/`)).text()).toBe('hello from web-1');
    expect(
      worker.containers[0]
        .log()
        ?.snapshot()
        .some((l) => l.text.includes('"msg":"listening"')),
    ).toBe(true);
  });

  it('restarts a killed container and counts it, keeping the previous log', async () => {
    const worker = run('web-2', [app()]);
    await expect.poll(() => condition(worker, 'Ready'), { timeout: 15_000 }).toBe('True');
    process.kill(pidOf(worker), 'SIGKILL');
    await expect.poll(() => worker.status().containerStatuses?.[0].restartCount, { timeout: 15_000 }).toBe(1);
    await expect.poll(() => condition(worker, 'Ready'), { timeout: 15_000 }).toBe('True');
    const status = statuses(worker)[0];
    expect(status.lastState.terminated).toMatchObject({ exitCode: 137, signal: 9, reason: 'Error' });
    expect(
      worker.containers[0]
        .log(true)
        ?.snapshot()
        .some((l) => l.text.includes('listening')),
    ).toBe(true);
  });

  it('puts a crashing container in CrashLoopBackOff with growing waits', async () => {
    const worker = run('crasher', [app({ env: [{ name: 'CRASH_AT_START', value: '3' }] })]);
    await expect.poll(() => worker.status().containerStatuses?.[0].state.waiting?.reason, { timeout: 15_000 }).toBe('CrashLoopBackOff');
    const status = statuses(worker)[0];
    expect(status.state.waiting?.message).toMatch(/^back-off \d+s restarting failed container=app pod=crasher_default\(uid-crasher\)$/);
    expect(status.lastState.terminated).toMatchObject({ exitCode: 3, reason: 'Error' });
    expect(worker.status().phase).toBe('Running');
    await expect.poll(() => worker.status().containerStatuses?.[0].restartCount, { timeout: 15_000 }).toBeGreaterThanOrEqual(3);
  });

  it('restarts a container whose liveness probe fails', async () => {
    // A tolerant probe (2 s), so that a slow start on a busy machine is not mistaken for the failure.
    const worker = run('sick', [app({ livenessProbe: { httpGet: { path: '/healthz', port: 8080 }, periodSeconds: 0.2, failureThreshold: 10 } })]);
    await expect.poll(() => condition(worker, 'Ready'), { timeout: 15_000 }).toBe('True');
    await fetch(`http://${worker.ip}:8080/sick`);
    await expect.poll(() => worker.status().containerStatuses?.[0].restartCount, { timeout: 15_000 }).toBe(1);
    expect(statuses(worker)[0].lastState.terminated?.exitCode).toBe(0); // it drained on SIGTERM
  });

  it('leaves a pod with an unmapped image waiting in ErrImagePull, with a clear message', async () => {
    const worker = run('nowhere', [
      { name: 'x', image: 'example.com/unknown:1' },
      { name: 'y', image: 'test/missing-entry' },
    ]);
    await expect.poll(() => worker.status().containerStatuses?.map((s) => s.state.waiting?.reason)).toEqual(['ErrImagePull', 'ErrImagePull']);
    const [x, y] = statuses(worker);
    expect(x.state.waiting?.message).toMatch(
      /Failed to pull image "example.com\/unknown:1": kube-sim runs only the images mapped in .*images.yaml \(add "example.com\/unknown" there\)/,
    );
    expect(y.state.waiting?.message).toMatch(/does-not-exist.ts, which does not exist/);
    expect(worker.status().phase).toBe('Pending');
    await expect.poll(() => worker.status().containerStatuses?.[0].state.waiting?.reason, { timeout: 5000 }).toBe('ImagePullBackOff');
  });

  it('stops every container with SIGTERM on delete', async () => {
    const worker = run('stopper', [app()]);
    await expect.poll(() => condition(worker, 'Ready'), { timeout: 15_000 }).toBe('True');
    const pid = pidOf(worker);
    await worker.terminate(5);
    expect(() => process.kill(pid, 0)).toThrow();
    expect(statuses(worker)[0].state.terminated).toMatchObject({ exitCode: 0, reason: 'Completed' });
    expect(
      worker.containers[0]
        .log()
        ?.snapshot()
        .some((l) => l.text.includes('shutting down')),
    ).toBe(true);
  });

  it.skipIf(!findPostgresBin())('runs postgres:* as a real PostgreSQL on the pod address, configured from the env', async () => {
    const worker = run('postgres-0', [
      {
        name: 'postgres',
        image: 'postgres:16-alpine',
        ports: [{ containerPort: 5432 }],
        env: [
          { name: 'POSTGRES_USER', value: 'shop' },
          { name: 'POSTGRES_DB', value: 'storefront' },
          { name: 'POSTGRES_PASSWORD', valueFrom: { secretKeyRef: { name: 'db', key: 'password' } } },
        ],
        readinessProbe: { tcpSocket: { port: 5432 }, periodSeconds: 0.2 },
      },
    ]);
    await expect.poll(() => condition(worker, 'Ready'), { timeout: 30_000, interval: 200 }).toBe('True');
    const client = new pg.Client({ host: worker.ip, port: 5432, user: 'shop', password: 's3cret', database: 'storefront' });
    await client.connect();
    const { rows } = await client.query('select current_database() as db, current_user as who');
    await client.end();
    expect(rows).toEqual([{ db: 'storefront', who: 'shop' }]);
    const wrong = new pg.Client({ host: worker.ip, port: 5432, user: 'shop', password: 'nope', database: 'storefront' });
    await expect(wrong.connect()).rejects.toThrow(/password authentication failed/);
    await worker.terminate(10);
    expect(statuses(worker)[0].state.terminated?.exitCode).toBe(0);
  });
});
