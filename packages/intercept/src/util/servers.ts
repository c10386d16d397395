import type net from 'node:net';

/** Listens and resolves with the bound port (port 0 picks a free one). */
export function listen(server: net.Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as net.AddressInfo).port);
    });
  });
}

/**
 * Remembers a server's open connections so close() can end them: a plain server.close()
 * waits for every keep-alive client to leave on its own.
 */
export function closable(server: net.Server): () => Promise<void> {
  const sockets = new Set<net.Socket>();
  server.on('connection', (socket: net.Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  return () =>
    new Promise((resolve) => {
      server.close(() => resolve());
      for (const socket of sockets) socket.destroy();
    });
}

/** `host:port` as a URL writes it: an IPv6 address in brackets. */
export const urlAuthority = (host: string, port: number) => `${host.includes(':') ? `[${host}]` : host}:${port}`;
