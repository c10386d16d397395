import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AddressBlock, claimAddressBlock } from './addresses';
import { writeNameTable } from './names';
import { NAMES_FILE_ENV, POD_IP_ENV, POD_NAMESPACE_ENV } from './preload';

const preload = fileURLToPath(new URL('./preload.ts', import.meta.url));

/** Runs a module snippet in a Node process set up as a pod container; resolves its stdout. */
function inPod(podIP: string, namesFile: string, code: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', '--import', preload, '--input-type=module', '-e', code],
      {
        env: { ...process.env, [POD_IP_ENV]: podIP, [POD_NAMESPACE_ENV]: 'shop', [NAMES_FILE_ENV]: namesFile, HOSTNAME: 'catalog-7d9f8-x2k4q' },
        timeout: 20_000,
      },
      (error, stdout, stderr) => (error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(stdout.trim())),
    );
  });
}

describe('pod network preload', { timeout: 20_000 }, () => {
  let block: AddressBlock;
  let dir: string;
  let namesFile: string;
  let service: Server;
  let serviceIP: string;

  beforeAll(async () => {
    block = claimAddressBlock();
    dir = mkdtempSync(join(tmpdir(), 'kube-sim-preload-'));
    namesFile = join(dir, 'names.json');
    serviceIP = block.allocateService();
    service = createServer((socket) => socket.end('hello from the service'));
    await new Promise<void>((resolve) => service.listen(0, serviceIP, resolve));
    writeNameTable(namesFile, { 'shop/catalog': serviceIP, '10.96.0.42': serviceIP });
  });

  afterAll(async () => {
    await new Promise((resolve) => service.close(resolve));
    block.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('binds listen() on the unspecified address, or no address, to the pod IP', async () => {
    const podIP = block.allocatePod();
    const out = await inPod(
      podIP,
      namesFile,
      `
      import net from 'node:net'; import http from 'node:http';
      const a = net.createServer().listen(0, '0.0.0.0'); await new Promise(r => a.on('listening', r));
      const b = http.createServer().listen(0); await new Promise(r => b.on('listening', r));
      const c = net.createServer().listen({ port: 0, host: '::' }); await new Promise(r => c.on('listening', r));
      console.log(JSON.stringify([a.address().address, b.address().address, c.address().address]));
      a.close(); b.close(); c.close();`,
    );
    expect(JSON.parse(out)).toEqual([podIP, podIP, podIP]);
  });

  it('lets localhost and 127.0.0.1 reach the other containers of the same pod', async () => {
    const podIP = block.allocatePod();
    const out = await inPod(
      podIP,
      namesFile,
      `
      import net from 'node:net'; import http from 'node:http';
      const s = http.createServer((q, r) => r.end('same pod')).listen(8080); await new Promise(r => s.on('listening', r));
      const viaName = await (await fetch('http://localhost:8080/')).text();
      const viaIP = await new Promise(r => http.get('http://127.0.0.1:8080/', (res) => { let t = ''; res.on('data', d => t += d); res.on('end', () => r(t)); }));
      console.log(JSON.stringify([viaName, viaIP])); s.close();`,
    );
    expect(JSON.parse(out)).toEqual(['same pod', 'same pod']);
  });

  it('resolves every cluster DNS form of a Service name to its address, and reaches it by clusterIP', async () => {
    const podIP = block.allocatePod();
    const out = await inPod(
      podIP,
      namesFile,
      `
      import dns from 'node:dns'; import { lookup } from 'node:dns/promises'; import net from 'node:net';
      const names = ['catalog', 'catalog.shop', 'catalog.shop.svc', 'catalog.shop.svc.cluster.local', 'catalog.shop.svc.cluster.local.'];
      const addresses = await Promise.all(names.map(n => lookup(n).then(r => r.address)));
      const cb = await new Promise(r => dns.lookup('catalog', (e, a) => r(a)));
      const port = ${'${process.env.SERVICE_PORT}'};
      const greeting = await new Promise(r => { const c = net.connect(Number(port), 'catalog'); let t = ''; c.on('data', d => t += d); c.on('end', () => r(t)); });
      const unknown = await lookup('nothing-here.shop.svc.cluster.local').then(() => 'resolved', e => e.code);
      const viaClusterIP = await new Promise(r => { const c = net.connect({ port: Number(port), host: '10.96.0.42' }); let t = ''; c.on('data', d => t += d); c.on('end', () => r(t)); });
      console.log(JSON.stringify({ addresses, cb, greeting, unknown, viaClusterIP }));`.replace(
        '${process.env.SERVICE_PORT}',
        String((service.address() as { port: number }).port),
      ),
    );
    expect(JSON.parse(out)).toEqual({
      addresses: Array(5).fill(serviceIP),
      cb: serviceIP,
      greeting: 'hello from the service',
      unknown: 'ENOTFOUND',
      viaClusterIP: 'hello from the service',
    });
  });

  it("answers os.hostname() with the pod's name, as inside a container", async () => {
    expect(
      await inPod(block.allocatePod(), namesFile, `import { hostname } from 'node:os'; import os from 'node:os'; console.log(hostname(), os.hostname());`),
    ).toBe('catalog-7d9f8-x2k4q catalog-7d9f8-x2k4q');
  });

  it('keeps two pods apart: the same port on two pod IPs', async () => {
    const [one, two] = [block.allocatePod(), block.allocatePod()];
    const script = `import http from 'node:http'; const s = http.createServer().listen(3000); await new Promise(r => s.on('listening', r)); console.log(s.address().address); s.close();`;
    expect(await Promise.all([inPod(one, namesFile, script), inPod(two, namesFile, script)])).toEqual([one, two]);
  });
});
