import http from 'node:http';
import { type RawData, WebSocketServer } from 'ws';
import { closable, listen } from '../util/servers';

/** A WebSocket text message as a string, whichever of its buffer forms ws hands over. */
const textOf = (data: RawData) => (Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data)).toString();

/** One chunk reused for every streamed megabyte, so the test's own garbage stays small. */
const CHUNK = Buffer.alloc(64 * 1024, 'x');

export interface TestServer {
  name: string;
  port: number;
  /** requests this server answered */
  served: number;
  close(): Promise<void>;
  /** listens again on the same port (a restarted `tsx watch` process) */
  reopen(): Promise<void>;
}

/**
 * A sample HTTP service standing in for the app container and for the developer's local
 * process: it says who it is (also after `/slow?ms=n`), streams, uploads, serves SSE and echoes
 * WebSockets. With `answerDelayMs`, every HTTP request waits that long first (a slow local process).
 */
export async function startTestServer(name: string, port = 0, answerDelayMs = 0): Promise<TestServer> {
  const server = http.createServer((req, res) => (answerDelayMs > 0 ? setTimeout(answer, answerDelayMs, req, res) : answer(req, res)));
  function answer(req: http.IncomingMessage, res: http.ServerResponse) {
    state.served++;
    const url = new URL(req.url ?? '/', 'http://x');
    res.setHeader('x-ffk-served-by', name);
    if (url.pathname === '/upload') {
      let bytes = 0;
      req.on('data', (chunk: Buffer) => (bytes += chunk.length));
      req.on('end', () => res.end(JSON.stringify({ who: name, bytes })));
      return;
    }
    if (url.pathname === '/download') {
      const total = Number(url.searchParams.get('mb')) * 1024 * 1024;
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      let sent = 0;
      const pump = () => {
        while (sent < total) {
          sent += CHUNK.length;
          if (!res.write(CHUNK)) return void res.once('drain', pump);
        }
        res.end();
      };
      return pump();
    }
    if (url.pathname === '/echo') {
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      res.flushHeaders();
      req.pipe(res);
      return;
    }
    if (url.pathname === '/sse') {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      let n = 0;
      const timer = setInterval(() => {
        res.write(`data: ${name} ${++n}\n\n`);
        if (n === 5) {
          clearInterval(timer);
          res.end();
        }
      }, 30);
      res.on('close', () => clearInterval(timer));
      return;
    }
    const body = JSON.stringify({ who: name, path: url.pathname, id: url.searchParams.get('id'), headers: req.headers });
    const reply = () => void res.writeHead(200, { 'content-type': 'application/json' }).end(body);
    // /slow?ms=n: a request that is still in flight when a test ends a tunnel
    if (url.pathname === '/slow') return void setTimeout(reply, Number(url.searchParams.get('ms'))).unref();
    reply();
  }
  server.keepAliveTimeout = 5000;
  const sockets = new WebSocketServer({ server });
  sockets.on('headers', (headers) => headers.push(`x-ffk-served-by: ${name}`));
  sockets.on('connection', (socket) => socket.on('message', (data, binary) => socket.send(binary ? data : `${name}: ${textOf(data)}`, { binary })));
  const closeAll = closable(server);
  const state: TestServer = {
    name,
    served: 0,
    port: await listen(server, port, '127.0.0.1'),
    async close() {
      for (const client of sockets.clients) client.terminate();
      await closeAll();
    },
    async reopen() {
      await listen(server, state.port, '127.0.0.1');
    },
  };
  return state;
}
