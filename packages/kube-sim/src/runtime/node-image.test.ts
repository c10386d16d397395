// The official Node image in process mode: a script delivered in a ConfigMap volume runs as
// `node /mount/script`, reads its sibling files there, and waits (FailedMount) for a missing ConfigMap.
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { podCondition as condition, testPods } from './fixtures/test-pods';
import type { ConfigMap } from './kube-types';

const server = `
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
const greeting = readFileSync(new URL('./greeting.txt', import.meta.url), 'utf8');
createServer((req, res) => res.end(greeting + ' ' + process.argv.slice(2).join(' '))).listen(8080, '0.0.0.0');
`;

describe('the official Node image', { timeout: 30_000 }, () => {
  const configMaps = new Map<string, ConfigMap>();
  const pods = testPods({ configMap: (_ns, name) => configMaps.get(name) });
  afterEach(() => pods.stopAll());
  afterAll(() => pods.close());

  const nodePod = (name: string, configMap: string) =>
    pods.run(
      name,
      [
        {
          name: 'agent',
          image: 'node:24.21.0-bookworm-slim',
          command: ['node', '/opt/code/server.mjs'],
          args: ['from', '/opt/code'],
          volumeMounts: [{ name: 'code', mountPath: '/opt/code', readOnly: true }],
          readinessProbe: { tcpSocket: { port: 8080 }, periodSeconds: 0.1 },
        },
      ],
      { volumes: [{ name: 'code', configMap: { name: configMap } }] },
    );

  it("runs the container's node command on a script from its ConfigMap volume, paths under the mount pointed at the files", async () => {
    configMaps.set('code', { metadata: { name: 'code' }, data: { 'server.mjs': server, 'greeting.txt': 'hello' } });
    const worker = nodePod('node-1', 'code');
    await expect.poll(() => condition(worker, 'Ready'), { timeout: 15_000 }).toBe('True');
    const answer = await (await fetch(`http://${worker.ip}:8080/`)).text();
    // The argument naming the mount reaches the process as the directory holding the volume's files.
    expect(answer).toMatch(/^hello from \/.+\/code$/);
    expect(answer).not.toContain('/opt/code');
  });

  it('waits in ContainerCreating while its ConfigMap is missing, and starts once it exists', async () => {
    const worker = nodePod('node-2', 'later');
    await expect.poll(() => worker.status().containerStatuses?.[0]?.state.waiting?.reason).toBe('ContainerCreating');
    configMaps.set('later', { metadata: { name: 'later' }, data: { 'server.mjs': server, 'greeting.txt': 'finally' } });
    await expect.poll(() => condition(worker, 'Ready'), { timeout: 15_000 }).toBe('True');
    expect(await (await fetch(`http://${worker.ip}:8080/`)).text()).toMatch(/^finally from /);
  });
});
