import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assertPortsFree, freePort } from './free-ports';

// A checkout without a simulator: nothing recorded under its .ffk/sim.
const checkout = join(tmpdir(), 'ffk-no-checkout');

describe('port check', () => {
  it('names the busy port, its service and the variable that moves it, in one line', async () => {
    const holder = createServer().listen(0);
    await once(holder, 'listening');
    const port = (holder.address() as { port: number }).port;
    try {
      const attempt = assertPortsFree([{ name: 'web', port, envVar: 'WEB_PORT' }], checkout);
      await expect(attempt).rejects.toThrow(`port ${port} (web) is already in use`);
      await expect(attempt).rejects.toThrow('WEB_PORT=<port>');
      await attempt.catch((error: Error) => expect(error.message).not.toContain('\n'));
    } finally {
      holder.close();
    }
  });

  it('passes free ports, and hands out one that can be listened on', async () => {
    const port = await freePort();
    await expect(assertPortsFree([{ name: 'catalog', port, envVar: 'CATALOG_PORT' }], checkout)).resolves.toBeUndefined();
    const server = createServer().listen(port);
    await once(server, 'listening');
    server.close();
  });

  it.runIf(process.platform === 'linux')('says when a simulator left running for this checkout holds the port, and how to stop it', async () => {
    // A stand-in for a leftover `ffk sim start --detach`: a process recorded in the checkout's
    // .ffk/sim/server.json whose child (a pod) listens on the port.
    const repo = mkdtempSync(join(tmpdir(), 'ffk-checkout-'));
    const pod = `require('node:net').createServer().listen(0, '127.0.0.1', function () { console.log(this.address().port); })`;
    const sim = spawn(
      process.execPath,
      [
        '-e',
        `const c = require('node:child_process').spawn(process.execPath, ['-e', ${JSON.stringify(pod)}], { stdio: 'inherit' }); setInterval(() => {}, 1000);`,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'], detached: true },
    );
    try {
      const port = Number((await once(sim.stdout, 'data'))[0]);
      mkdirSync(join(repo, '.ffk', 'sim'), { recursive: true });
      writeFileSync(join(repo, '.ffk', 'sim', 'server.json'), JSON.stringify({ pid: sim.pid, url: 'https://127.0.0.1:1', kubeconfig: '' }));
      await expect(assertPortsFree([{ name: 'inventory', port, envVar: 'INVENTORY_PORT' }], repo)).rejects.toThrow(
        `port ${port} (inventory) is already in use: this checkout's kube-sim (pid ${sim.pid}, left running by \`ffk sim start --detach\` or a lab) holds it: stop it with \`npm run ffk -- sim stop\`, or choose another with INVENTORY_PORT=<port>`,
      );
    } finally {
      if (sim.pid !== undefined) process.kill(-sim.pid, 'SIGKILL');
      rmSync(repo, { recursive: true, force: true });
    }
  });
});
