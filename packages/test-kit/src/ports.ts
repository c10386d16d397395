import { createServer } from 'node:net';

/**
 * A TCP port that was free a moment ago. Prefer listening on port 0 yourself; this is for
 * programs that must be told their port up front (a PostgreSQL server, a child process).
 */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
