import type { Server } from 'node:http';
import { connect, createServer, type Server as NetServer } from 'node:net';
import { PassThrough } from 'node:stream';
import { KubeConfig, PortForward } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { type AddressBlock, claimAddressBlock } from '../network/addresses';
import type { KubeObject } from '../store/types';
import { parseJson } from '../testing/json';
import { portForwardHandler } from './port-forward';
import { serveSubresource } from './test-server';

describe('pods/portforward over WebSocket', { timeout: 30_000 }, () => {
  let block: AddressBlock;
  let api: { url: string; server: Server };
  let podIP: string;
  let echo: NetServer;
  let flood: NetServer;
  let floodWritten = 0;
  const pod = (): KubeObject => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'db-0', namespace: 'default', uid: 'uid-db' },
    status: { phase: 'Running', podIP },
  });

  beforeAll(async () => {
    block = claimAddressBlock();
    podIP = block.allocatePod();
    echo = createServer((socket) => socket.pipe(socket));
    await new Promise<void>((resolve) => echo.listen(5432, podIP, resolve));
    // Writes as fast as the connection accepts, up to 64 MiB: shows whether anyone applies backpressure.
    flood = createServer((socket) => {
      const chunk = Buffer.alloc(64 * 1024, 7);
      const pump = () => {
        while (floodWritten < 64 * 1024 * 1024) {
          floodWritten += chunk.length;
          if (!socket.write(chunk)) return void socket.once('drain', pump);
        }
        socket.end();
      };
      pump();
      socket.on('error', () => {});
    });
    await new Promise<void>((resolve) => flood.listen(9000, podIP, resolve));
    api = await serveSubresource(portForwardHandler(), pod);
  });

  afterAll(async () => {
    for (const server of [echo, flood, api.server]) await new Promise((resolve) => server.close(resolve));
    block.close();
  });

  const kubeConfig = () => {
    const kc = new KubeConfig();
    kc.loadFromOptions({
      clusters: [{ name: 'sim', server: api.url, skipTLSVerify: true }],
      users: [{ name: 'sim', token: 'x' }],
      contexts: [{ name: 'sim', cluster: 'sim', user: 'sim' }],
      currentContext: 'sim',
    });
    return kc;
  };

  it('forwards bytes both ways with client-node PortForward (v4.channel.k8s.io)', async () => {
    const output = new PassThrough();
    const input = new PassThrough();
    const ws = (await new PortForward(kubeConfig()).portForward('default', 'db-0', [5432], output, null, input)) as WebSocket;
    expect(ws.protocol).toBe('v4.channel.k8s.io');
    input.write('ping through the tunnel');
    const [echoed] = await new Promise<Buffer[]>((resolve) => output.once('data', (d: Buffer) => resolve([d])));
    expect(echoed.toString()).toBe('ping through the tunnel');
    ws.close();
  });

  it('speaks v4.base64.channel.k8s.io: port prefix first on both channels, base64 payloads', async () => {
    const ws = new WebSocket(`${api.url.replace('http', 'ws')}/api/v1/namespaces/default/pods/db-0/portforward?ports=5432`, ['v4.base64.channel.k8s.io']);
    const frames: string[] = [];
    ws.on('message', (data: Buffer) => frames.push(data.toString()));
    await new Promise((resolve) => ws.once('open', resolve));
    ws.send(`0${Buffer.from('hi').toString('base64')}`);
    await expect.poll(() => frames.length).toBe(3);
    const prefix = Buffer.from([5432 & 255, 5432 >> 8]).toString('base64');
    expect(frames).toEqual([`0${prefix}`, `1${prefix}`, `0${Buffer.from('hi').toString('base64')}`]);
    ws.close();
  });

  it('reports a port nothing listens on through the error channel, then closes', async () => {
    const ws = new WebSocket(`${api.url.replace('http', 'ws')}/api/v1/namespaces/default/pods/db-0/portforward?ports=6000`, ['v4.channel.k8s.io']);
    const errors: string[] = [];
    ws.on('message', (data: Buffer) => data[0] === 1 && data.length > 3 && errors.push(data.subarray(1).toString()));
    await new Promise((resolve) => ws.once('close', resolve));
    expect(errors).toEqual([`error forwarding port 6000 to pod db-0, uid uid-db: dial tcp ${podIP}:6000: connect: connection refused`]);
  });

  it('stops reading from the pod while the client does not read (bounded buffering)', async () => {
    const ws = new WebSocket(`${api.url.replace('http', 'ws')}/api/v1/namespaces/default/pods/db-0/portforward?ports=9000`, ['v4.channel.k8s.io']);
    await new Promise((resolve) => ws.once('open', resolve));
    let received = 0;
    ws.on('message', (data: Buffer) => (received += data.length));
    ws.pause(); // a client that stops reading
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(floodWritten).toBeLessThan(24 * 1024 * 1024);
    ws.resume();
    await expect.poll(() => received, { timeout: 20_000 }).toBeGreaterThan(64 * 1024 * 1024);
    ws.close();
  });

  it('answers a plain request and a SPDY upgrade for another protocol with a clear error', async () => {
    const plain = await fetch(`${api.url}/api/v1/namespaces/default/pods/db-0/portforward?ports=5432`, { method: 'POST' });
    expect(plain.status).toBe(400);
    expect(((await plain.json()) as { message: string }).message).toMatch(/^Upgrade request required/);
    const upgrade = await new Promise<string>((resolve) => {
      const socket = connect(Number(new URL(api.url).port), '127.0.0.1', () =>
        socket.write(
          'POST /api/v1/namespaces/default/pods/db-0/portforward HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\nX-Stream-Protocol-Version: channel.k8s.io\r\n\r\n',
        ),
      );
      let text = '';
      socket.on('data', (d: Buffer) => (text += d.toString()));
      socket.on('end', () => resolve(text));
    });
    expect(upgrade).toMatch(/^HTTP\/1.1 400 BadRequest/);
    expect(parseJson<{ message: string }>(upgrade.split('\r\n\r\n')[1]).message).toBe(
      'unable to upgrade: unable to negotiate protocol: client supports [channel.k8s.io], server supports [portforward.k8s.io]',
    );
  });
});
