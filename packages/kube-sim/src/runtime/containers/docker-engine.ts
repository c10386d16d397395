// The local Docker engine, spoken to over its Engine API on the unix socket (no docker CLI per
// call: an inspect costs a millisecond, and secrets in a container's environment never show up
// in a process list). API version 1.41 is what Debian's dockerd 20.10 serves and newer ones accept.
import { request, type IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';

const API = '/v1.41';
const DEFAULT_SOCKET = '/var/run/docker.sock';

/** The engine's socket: $DOCKER_HOST when it is a unix:// address, else the default. Undefined for tcp:// engines (not supported). */
export function dockerSocketPath(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const host = env.DOCKER_HOST;
  if (!host) return DEFAULT_SOCKET;
  return host.startsWith('unix://') ? host.slice('unix://'.length) : undefined;
}

export class DockerApiError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

export interface DockerResponse<T> {
  status: number;
  body: T;
}

export class DockerEngine {
  constructor(readonly socketPath: string) {}

  /** One API call; JSON in and out (`timeoutMs` 0: no limit, for waits). Throws DockerApiError for 4xx/5xx (the engine's own message), or the socket error when no engine answers. */
  async call<T = unknown>(method: string, path: string, body?: unknown, timeoutMs = 30_000): Promise<DockerResponse<T>> {
    const response = await this.send(method, path, body, timeoutMs);
    const text = await readAll(response);
    const parsed = text && (response.headers['content-type'] ?? '').includes('json') ? JSON.parse(text) : text;
    const status = response.statusCode ?? 0;
    if (status >= 400) throw new DockerApiError(status, (parsed as { message?: string })?.message ?? String(parsed || `HTTP ${status}`));
    return { status, body: parsed as T };
  }

  /** Whether the engine answers (`/_ping`) within `timeoutMs`. */
  async ping(timeoutMs = 1000): Promise<boolean> {
    try {
      return (await this.call('GET', '/_ping', undefined, timeoutMs)).status === 200;
    } catch {
      return false;
    }
  }

  /** A hijacked connection (attach): the raw stream the engine switches to after 101. */
  upgrade(path: string): Promise<Socket> {
    return new Promise((resolve, reject) => {
      const req = request({ socketPath: this.socketPath, method: 'POST', path: API + path, headers: { Connection: 'Upgrade', Upgrade: 'tcp' } });
      req.on('upgrade', (_response, socket, head) => {
        if (head.length) socket.unshift(head);
        resolve(socket);
      });
      req.on('response', async (response) => reject(new DockerApiError(response.statusCode ?? 0, await readAll(response))));
      req.on('error', reject);
      req.end();
    });
  }

  private send(method: string, path: string, body: unknown, timeoutMs: number): Promise<IncomingMessage> {
    return new Promise((resolve, reject) => {
      const payload = body === undefined ? undefined : JSON.stringify(body);
      const req = request({
        socketPath: this.socketPath,
        // A connection per call: the global agent's idle timeout (5 s) would cut a long wait.
        agent: false,
        method,
        path: API + path,
        headers: payload ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {},
        ...(timeoutMs > 0 ? { timeout: timeoutMs } : {}),
      });
      req.on('response', resolve);
      req.on('timeout', () => req.destroy(new Error(`the Docker engine did not answer ${method} ${path} within ${timeoutMs} ms`)));
      req.on('error', reject);
      req.end(payload);
    });
  }
}

async function readAll(response: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of response) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Splits the engine's multiplexed stdout/stderr stream (no TTY): frames of an 8-byte header
 * (stream 1 = stdout, 2 = stderr; big-endian uint32 length at 4) followed by the payload.
 */
export function demultiplex(socket: NodeJS.ReadableStream, onFrame: (stream: 'stdout' | 'stderr', payload: Buffer) => void): void {
  let pending: Buffer = Buffer.alloc(0);
  socket.on('data', (chunk: Buffer) => {
    pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
    while (pending.length >= 8) {
      const size = pending.readUInt32BE(4);
      if (pending.length < 8 + size) break;
      onFrame(pending[0] === 2 ? 'stderr' : 'stdout', pending.subarray(8, 8 + size));
      pending = pending.subarray(8 + size);
    }
  });
}
