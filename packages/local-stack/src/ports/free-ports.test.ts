import { once } from 'node:events';
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { assertPortsFree, freePort } from './free-ports';

describe('port check', () => {
  it('names the busy port, its service and the variable that moves it, in one line', async () => {
    const holder = createServer().listen(0);
    await once(holder, 'listening');
    const port = (holder.address() as { port: number }).port;
    try {
      const attempt = assertPortsFree([{ name: 'web', port, envVar: 'WEB_PORT' }]);
      await expect(attempt).rejects.toThrow(`port ${port} (web) is already in use`);
      await expect(attempt).rejects.toThrow('WEB_PORT=<port>');
      await attempt.catch((error: Error) => expect(error.message).not.toContain('\n'));
    } finally {
      holder.close();
    }
  });

  it('passes free ports, and hands out one that can be listened on', async () => {
    const port = await freePort();
    await expect(assertPortsFree([{ name: 'catalog', port, envVar: 'CATALOG_PORT' }])).resolves.toBeUndefined();
    const server = createServer().listen(port);
    await once(server, 'listening');
    server.close();
  });
});
