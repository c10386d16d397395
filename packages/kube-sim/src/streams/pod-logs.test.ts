import type { Server } from 'node:http';
import { defined } from '@ffk/test-kit/defined';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appContainer, podCondition, testPods, until } from '../runtime/fixtures/test-pods';
import type { PodWorker } from '../runtime/pod-worker';
import type { KubeObject } from '../store/types';
import { parseJson } from '../testing/json';
import { podLogsHandler } from './pod-logs';
import { serveSubresource } from './test-server';

describe('pods/log', { timeout: 30_000 }, () => {
  const pods = testPods();
  let api: { url: string; server: Server };
  let worker: PodWorker;
  const logs = (query: string) => fetch(`${api.url}/api/v1/namespaces/default/pods/web-0/log?${query}`);
  const message = async (response: Response) => ((await response.json()) as { message: string }).message;

  beforeAll(async () => {
    worker = pods.run('web-0', [appContainer(), appContainer({ name: 'sidecar', env: [{ name: 'PORT', value: '8081' }], readinessProbe: undefined })]);
    api = await serveSubresource(
      podLogsHandler((ns, name) => (ns === 'default' && name === 'web-0' ? worker : undefined)),
      () => ({}) as KubeObject,
    );
    await until(() => podCondition(worker, 'Ready') === 'True', 20_000, 'the pod to be Ready');
    for (const path of ['/one', '/two', '/three']) await fetch(`http://${worker.ip}:8080${path}`);
  });
  afterAll(async () => {
    await pods.close();
    await new Promise((resolve) => api.server.close(resolve));
  });

  /** The request paths the app logged, in order, without the probes' requests. */
  const paths = (text: string) =>
    text
      .split('\n')
      .filter(Boolean)
      .map((l) => parseJson<{ url?: string }>(l.replace(/^\S+Z /, '')).url)
      .filter((u) => u && u !== '/readyz');

  it('asks for a container name when the pod has several, and names unknown ones, as the API server does', async () => {
    const response = await logs('');
    expect(response.status).toBe(400);
    expect(await message(response)).toBe('a container name must be specified for pod web-0, choose one of: [app sidecar]');
    expect(await message(await logs('container=nope'))).toBe('container nope is not valid for pod web-0');
  });

  it('serves the container log, with tailLines, timestamps and sinceSeconds', async () => {
    expect(paths(await (await logs('container=app')).text())).toEqual(['/one', '/two', '/three']);
    expect((await (await logs('container=app&tailLines=2')).text()).split('\n').filter(Boolean)).toHaveLength(2);
    const stamped = (await (await logs('container=app&timestamps=true')).text()).split('\n').filter(Boolean);
    expect(stamped.every((line) => /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z \{/.test(line))).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(paths(await (await logs('container=app&sinceSeconds=1')).text())).toEqual([]);
    expect(await message(await logs('container=app&tailLines=x'))).toBe('strconv.ParseInt: parsing "x": invalid syntax');
    const negative = await logs('container=app&tailLines=-1&limitBytes=0');
    expect(negative.status).toBe(422);
    expect(await message(negative)).toBe(
      'PodLogOptions "web-0" is invalid: [tailLines: Invalid value: -1: must be greater than or equal to 0, limitBytes: Invalid value: 0: must be greater than 0]',
    );
  });

  it('serves the previous instance after a restart, and says when there is none', async () => {
    expect(await message(await logs('container=app&previous=true'))).toBe('previous terminated container "app" in pod "web-0" not found');
    process.kill(defined(worker.containers[0].pid, 'the app container pid'), 'SIGKILL');
    await expect.poll(() => podCondition(worker, 'Ready'), { timeout: 20_000 }).toBe('False');
    await expect.poll(() => podCondition(worker, 'Ready'), { timeout: 20_000 }).toBe('True');
    expect(paths(await (await logs('container=app&previous=true')).text())).toEqual(['/one', '/two', '/three']);
    expect(paths(await (await logs('container=app')).text())).toEqual([]);
  });

  it('follows the log as lines come, and ends when the container stops', async () => {
    const response = await logs('container=app&follow=true&tailLines=0');
    const reader = defined(response.body, 'a response body').pipeThrough(new TextDecoderStream()).getReader();
    let text = '';
    await fetch(`http://${worker.ip}:8080/live`);
    while (!paths(text).includes('/live')) text += (await reader.read()).value ?? '';
    void worker.terminate(5);
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) text += chunk.value;
    expect(text).toContain('"msg":"shutting down"');
  });
});
