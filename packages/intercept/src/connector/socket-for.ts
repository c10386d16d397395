// The tunnel's HTTP/2 session runs on a real loopback TCP socket spliced to the opened stream
// (a port-forward), not on that Duplex itself: over a non-socket Duplex Node wraps the stream in a
// JSStreamSocket, which asserts and kills the process when nghttp2 writes (a GOAWAY, a stream
// reset) while a write or shutdown is still pending, which a port-forward that flushes through
// a WebSocket made happen when an agent refused or a tunnel closed. One extra loopback hop.
import { connect, createServer, Socket } from 'node:net';
import type { Duplex } from 'node:stream';

/** The stream itself when it is a socket, else a loopback socket piped to it both ways. */
export function socketFor(tunnel: Duplex): Promise<Socket> {
  if (tunnel instanceof Socket) return Promise.resolve(tunnel);
  return new Promise((resolve, reject) => {
    const server = createServer({ noDelay: true }, (inside) => {
      server.close();
      const close = () => {
        inside.destroy();
        tunnel.destroy();
      };
      inside.on('error', close).on('close', close);
      tunnel.on('error', close).on('close', close);
      inside.pipe(tunnel).pipe(inside);
    });
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      const outside = connect({ port, host: '127.0.0.1', noDelay: true }, () => resolve(outside));
      outside.once('error', reject);
    });
  });
}
