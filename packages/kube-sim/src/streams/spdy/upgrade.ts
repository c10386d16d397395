// The plain `Upgrade: SPDY/3.1` handshake (apimachinery's httpstream.Handshake): the client lists
// its stream protocols in X-Stream-Protocol-Version, the server takes the first one it supports
// and answers 101 with it; the socket then carries SPDY frames.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { ApiError } from '../../api/status';

/** Answers 101 with the negotiated protocol and returns it, or throws the 400 the server answers. */
export function acceptSpdyUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer, supported: readonly string[]): string {
  const offered = String(req.headers['x-stream-protocol-version'] ?? '').split(',').map((p) => p.trim()).filter(Boolean);
  const protocol = offered.find((p) => supported.includes(p));
  if (!protocol) {
    throw new ApiError(400, 'BadRequest', `unable to upgrade: unable to negotiate protocol: client supports [${offered.join(' ')}], server supports [${supported.join(' ')}]`);
  }
  socket.write(`HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\nX-Stream-Protocol-Version: ${protocol}\r\n\r\n`);
  if (head.length > 0) socket.unshift(head);
  return protocol;
}
