import type { IncomingMessage } from 'node:http';
import net from 'node:net';
import type { Duplex } from 'node:stream';
import { KIND_HEADER, RAW_HEADER } from '../tunnel/protocol';
import { splice } from '../tunnel/splice';
import type { Tunnel } from './tunnel';

/** The bytes of an HTTP/1.1 request head, rebuilt with its original header names and order. */
export function requestHead(req: IncomingMessage): Buffer {
  let head = `${req.method} ${req.url} HTTP/${req.httpVersion}\r\n`;
  for (let i = 0; i < req.rawHeaders.length; i += 2) head += `${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}\r\n`;
  return Buffer.from(`${head}\r\n`, 'latin1');
}

/** Joins a client connection to the app's port, replaying `prefix` (an upgrade's head) first. */
export function rawToApp(client: Duplex, host: string, port: number, prefix?: Buffer): void {
  const app = net.connect({ host, port, noDelay: true });
  if (prefix?.length) app.write(prefix);
  app.once('error', () => {
    // Refused before anything came back: say so if the client speaks HTTP, else just close.
    if (prefix?.length && client.writable) client.end('HTTP/1.1 502 Bad Gateway\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
    else client.destroy();
  });
  app.once('connect', () => splice(client, app));
}

/** Joins a client connection to a raw tunnel stream; the connector dials the local port. */
export function rawToTunnel(client: Duplex, tunnel: Tunnel, port: string, prefix?: Buffer): void {
  let stream;
  try {
    stream = tunnel.request({ ':method': 'POST', ':path': '/', [KIND_HEADER]: 'raw', [RAW_HEADER]: prefix ? 'upgrade' : 'tcp', 'ffk-port': port }, false);
  } catch {
    return void client.destroy();
  }
  if (prefix?.length) stream.write(prefix);
  splice(client, stream);
}
