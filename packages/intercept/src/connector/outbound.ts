import { randomUUID } from 'node:crypto';
import { constants, type ServerHttp2Stream } from 'node:http2';
import net from 'node:net';
import { splice } from '../tunnel/splice';
import { closable, listen } from '../util/servers';

export interface ExposeOptions {
  /** a host and port as seen inside the cluster, e.g. "inventory" and 80 */
  host: string;
  port: number;
  /** local port to listen on; 0 (default) picks a free one */
  localPort?: number;
  localHost?: string;
}

export interface Exposed {
  host: string;
  port: number;
  localHost: string;
  localPort: number;
  close(): Promise<void>;
}

interface Pending {
  socket: net.Socket;
  host: string;
  port: number;
  /** the tunnel generation the dial was sent on; resent when a new tunnel comes up */
  sentOn?: number;
  timer: NodeJS.Timeout;
}

/**
 * Outbound listeners: each local connection asks the agent (control message "dial") to connect
 * to host:port inside the cluster; the agent answers with a 'dial' stream carrying the bytes.
 */
export class Outbound {
  private readonly pending = new Map<string, Pending>();
  private readonly listeners = new Set<Exposed>();
  private generation = 0;
  private sendDial?: (id: string, host: string, port: number) => void;

  constructor(
    /** how long a local connection waits for a tunnel (while reconnecting) */
    private readonly waitMs: number,
    private readonly onError: (error: { host: string; port: number; message: string }) => void,
  ) {}

  async expose({ host, port, localPort = 0, localHost = '127.0.0.1' }: ExposeOptions): Promise<Exposed> {
    const server = net.createServer({ noDelay: true, pauseOnConnect: true }, (socket) => this.accept(socket, host, port));
    const closeServer = closable(server);
    const exposed: Exposed = {
      host,
      port,
      localHost,
      localPort: await listen(server, localPort, localHost),
      close: async () => {
        this.listeners.delete(exposed);
        await closeServer();
      },
    };
    this.listeners.add(exposed);
    return exposed;
  }

  /** A tunnel is up: dials go through `send` from now on, including the ones still waiting. */
  online(send: (id: string, host: string, port: number) => void): void {
    this.generation++;
    this.sendDial = send;
    for (const [id, pending] of this.pending) this.dial(id, pending);
  }

  offline(): void {
    this.sendDial = undefined;
  }

  attach(id: string, stream: ServerHttp2Stream): void {
    const pending = this.pending.get(id);
    if (!pending) return void stream.close(constants.NGHTTP2_REFUSED_STREAM);
    this.pending.delete(id);
    clearTimeout(pending.timer);
    stream.respond({ ':status': 200 });
    splice(pending.socket, stream);
    pending.socket.resume();
  }

  fail(id: string, message: string): void {
    this.drop(id, message);
  }

  async close(): Promise<void> {
    for (const id of [...this.pending.keys()]) this.drop(id, 'connector stopped');
    await Promise.all([...this.listeners].map((l) => l.close()));
  }

  private accept(socket: net.Socket, host: string, port: number) {
    const id = randomUUID();
    socket.on('error', () => socket.destroy());
    const timer = setTimeout(() => this.drop(id, `no tunnel to the agent within ${this.waitMs} ms`), this.waitMs);
    const pending: Pending = { socket, host, port, timer };
    this.pending.set(id, pending);
    socket.once('close', () => {
      if (this.pending.get(id) === pending) {
        clearTimeout(timer);
        this.pending.delete(id);
      }
    });
    this.dial(id, pending);
  }

  private dial(id: string, pending: Pending) {
    if (!this.sendDial || pending.sentOn === this.generation) return;
    pending.sentOn = this.generation;
    this.sendDial(id, pending.host, pending.port);
  }

  /** Ends a dial that is still waiting; one already attached or dropped is left alone. */
  private drop(id: string, message: string) {
    const pending = this.pending.get(id);
    if (!pending) return;
    this.pending.delete(id);
    clearTimeout(pending.timer);
    pending.socket.destroy();
    this.onError({ host: pending.host, port: pending.port, message });
  }
}
