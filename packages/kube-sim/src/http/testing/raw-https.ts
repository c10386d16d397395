// Test support: requests as bytes on a TLS socket, so tests can send what no HTTP client would
// (malformed escapes, huge bodies, a watcher that never reads) and see the server's own answer.
import tls from 'node:tls';

export interface RawTarget {
  url: string;
  token?: string;
}

export function openTls(target: RawTarget): Promise<tls.TLSSocket> {
  const { hostname, port } = new URL(target.url);
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ host: hostname, port: Number(port), rejectUnauthorized: false }, () => resolve(socket));
    socket.once('error', reject);
  });
}

export interface RawAnswer {
  status: number;
  headers: string;
  body: string;
}

/**
 * One request with `connection: close`; resolves with the status and what followed the head. An
 * answer still streaming after `timeoutMs` (a watch) is cut there and resolved with what came.
 */
export async function rawRequest(
  target: RawTarget,
  method: string,
  path: string,
  options: { headers?: string[]; body?: Buffer | string; timeoutMs?: number } = {},
): Promise<RawAnswer> {
  const socket = await openTls(target);
  const body = options.body === undefined ? undefined : Buffer.from(options.body);
  const head = [
    `${method} ${path} HTTP/1.1`,
    'host: kube-sim',
    'connection: close',
    ...(target.token ? [`authorization: Bearer ${target.token}`] : []),
    ...(body ? [`content-length: ${body.length}`] : []),
    ...(options.headers ?? []),
  ];
  return new Promise((resolve, reject) => {
    if (options.timeoutMs) setTimeout(() => socket.destroy(), options.timeoutMs).unref();
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', (error: Error) => (chunks.length ? undefined : reject(error)));
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const end = text.indexOf('\r\n\r\n');
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1]);
      if (!status) return reject(new Error(`no HTTP answer: ${JSON.stringify(text.slice(0, 200))}`));
      resolve({ status, headers: text.slice(0, end), body: text.slice(end + 4) });
    });
    socket.write(`${head.join('\r\n')}\r\n\r\n`);
    if (body) socket.write(body, () => undefined);
  });
}
