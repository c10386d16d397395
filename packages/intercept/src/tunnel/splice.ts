import type { Duplex } from 'node:stream';

/**
 * Joins two byte streams both ways (a TCP socket and an HTTP/2 stream, or two sockets).
 * A clean end travels across as an end; an abort or error on either side destroys both,
 * so no half-dead connection is left behind.
 */
export function splice(a: Duplex, b: Duplex): void {
  a.pipe(b);
  b.pipe(a);
  link(a, b);
  link(b, a);
}

function link(from: Duplex, to: Duplex) {
  from.on('error', () => to.destroy());
  from.on('close', () => {
    if (!from.readableEnded) to.destroy();
  });
}
