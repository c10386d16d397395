import http2, { type ServerHttp2Stream } from 'node:http2';
import net from 'node:net';
import { type AgentMessage, KIND_HEADER, NGHTTP2_REFUSED_STREAM } from '../tunnel/protocol';

/**
 * A hand-driven connector: it answers the agent's control stream and sends whatever lines a test
 * writes, well-formed or not, so tests can play a peer that holds the token but not the rules.
 */
export interface RawPeer {
  /** an object is sent as one JSON line, a string as it is */
  send(message: unknown): void;
  received: AgentMessage[];
  /** the first message of this type the agent sends (already received or still to come) */
  next<T extends AgentMessage['type']>(type: T, timeoutMs?: number): Promise<Extract<AgentMessage, { type: T }>>;
  closed: Promise<void>;
  readonly isClosed: boolean;
  close(): void;
}

export function openRawPeer(tunnelPort: number): Promise<RawPeer> {
  const socket = net.connect({ host: '127.0.0.1', port: tunnelPort });
  socket.on('error', () => {});
  const server = http2.createServer();
  const received: AgentMessage[] = [];
  const waiting = new Set<() => void>();
  let isClosed = false;
  const closed = new Promise<void>((resolve) =>
    socket.on('close', () => {
      isClosed = true;
      resolve();
      for (const wake of waiting) wake();
    }),
  );
  return new Promise((resolve, reject) => {
    void closed.then(() => reject(new Error('the agent closed the connection before opening its control stream')));
    server.on('stream', (stream: ServerHttp2Stream, headers) => {
      // Like a connector that does not know a stream's kind: refused, nothing read.
      if (headers[KIND_HEADER] !== 'control') {
        stream.on('error', () => {}); // the refusal itself, reported on this side too
        return void stream.close(NGHTTP2_REFUSED_STREAM);
      }
      stream.respond({ ':status': 200 });
      stream.on('error', () => {});
      let pending = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => {
        pending += chunk;
        let newline: number;
        while ((newline = pending.indexOf('\n')) >= 0) {
          received.push(JSON.parse(pending.slice(0, newline)) as AgentMessage);
          pending = pending.slice(newline + 1);
          for (const wake of waiting) wake();
        }
      });
      resolve({
        send: (message) => void (stream.writable && stream.write(typeof message === 'string' ? message : `${JSON.stringify(message)}\n`)),
        received,
        next(type, timeoutMs = 5000) {
          return new Promise((resolveMessage, reject) => {
            const check = () => {
              const found = received.find((m) => m.type === type);
              if (found) {
                finish();
                resolveMessage(found as never);
              } else if (isClosed) {
                finish();
                reject(new Error(`the agent closed the tunnel without sending ${type} (got ${JSON.stringify(received)})`));
              }
            };
            const timer = setTimeout(() => {
              finish();
              reject(new Error(`no ${type} from the agent within ${timeoutMs} ms (got ${JSON.stringify(received)})`));
            }, timeoutMs);
            const finish = () => {
              clearTimeout(timer);
              waiting.delete(check);
            };
            waiting.add(check);
            check();
          });
        },
        closed,
        get isClosed() {
          return isClosed;
        },
        close: () => socket.destroy(),
      });
    });
    server.emit('connection', socket);
  });
}
