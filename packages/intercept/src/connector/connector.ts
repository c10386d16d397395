import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import http2, { constants, type IncomingHttpHeaders, type ServerHttp2Session, type ServerHttp2Stream } from 'node:http2';
import os from 'node:os';
import type { Duplex } from 'node:stream';
import { readMessages, writeMessage } from '../tunnel/control-channel';
import {
  type AgentInfo,
  type AgentMessage,
  CONNECTION_WINDOW,
  type ConnectorMessage,
  DIAL_ID_HEADER,
  H2_SETTINGS,
  type InterceptInfo,
  type InterceptSpec,
  KIND_HEADER,
  MAX_SESSION_MEMORY_MB,
  PROTOCOL_VERSION,
  type RefusalCode,
} from '../tunnel/protocol';
import { deliverH2 } from './deliver-h2';
import { deliverHttp, type RoutedRequest } from './deliver-http';
import { deliverRaw } from './deliver-raw';
import { closeLocal, type LocalTarget, localTarget } from './local-target';
import { type Exposed, type ExposeOptions, Outbound } from './outbound';
import { socketFor } from './socket-for';

/**
 * How long a request waits for a restarting local process: a `tsx watch` restart of a service
 * took 7 s on a loaded 2-core machine, and a 502 shows the developer a broken page for a save.
 */
const DEFAULT_HOLD_MS = 15_000;

export interface ConnectorOptions {
  /** Returns a fresh byte stream to the agent's tunnel port (a port-forward, a TCP socket). Called again on every reconnect. */
  openStream: () => Duplex | Promise<Duplex>;
  /** the agent's token */
  token: string;
  /** what to intercept; omit for a connector that only exposes outbound targets */
  intercept?: InterceptSpec;
  /** the local port intercepted requests are delivered to (required with intercept) */
  localPort?: number;
  localHost?: string;
  /** how long requests wait for the local port to open before a 502 (default DEFAULT_HOLD_MS) */
  holdMs?: number;
  /** shown to teammates as the intercept's holder (default user@host) */
  owner?: string;
  /** x-ffk-served-by on every delivered answer (default "local (<hostname>)") */
  servedBy?: string;
  /** reconnect delays: doubling from initialMs up to maxMs (defaults 100 and 5000) */
  backoff?: { initialMs?: number; maxMs?: number };
  /** a tunnel that does not reach "active" within this is dropped and retried (default 10000) */
  handshakeTimeoutMs?: number;
}

export type ConnectorState =
  | { state: 'connecting'; attempt: number }
  | { state: 'active'; agent: AgentInfo; intercept?: InterceptInfo; reconnects: number }
  | { state: 'reconnecting'; reason: string; retryInMs: number; attempt: number }
  | { state: 'refused'; code: RefusalCode; message: string }
  | { state: 'stopped' };

export interface ConnectorStats {
  /** requests delivered to the local process and answered (any status) */
  routed: number;
  /** requests answered 502 by the connector because the local process was not there */
  failed: number;
  /** times the tunnel came back after a drop */
  reconnects: number;
  /** tunneled raw connections (WebSocket, TCP) delivered */
  connections: number;
  /** a mirror's copies the agent dropped, not delivered, because this side was slow or down (the cluster answered them) */
  dropped: number;
}

export interface ConnectorEvents {
  state: [ConnectorState];
  request: [RoutedRequest];
  intercepts: [InterceptInfo[]];
  /** the agent dropped this many more of a mirror's copies */
  dropped: [count: number];
  'outbound-error': [{ host: string; port: number; message: string }];
}

export class ConnectorRefusedError extends Error {
  constructor(
    readonly code: RefusalCode,
    message: string,
  ) {
    super(message);
  }
}

interface SessionOutcome {
  reason: string;
  wasActive: boolean;
  refused?: { code: RefusalCode; message: string };
}

/**
 * The laptop side of an intercept. Keeps one tunnel to one agent up: connects, says hello
 * with the token, registers the intercept, sends heartbeats, delivers tunneled requests to
 * the local port, and reconnects with backoff (re-registering) whenever the tunnel drops.
 */
export class Connector extends EventEmitter<ConnectorEvents> {
  readonly stats: ConnectorStats = { routed: 0, failed: 0, reconnects: 0, connections: 0, dropped: 0 };
  private current: ConnectorState = { state: 'connecting', attempt: 0 };
  private readonly connectorId = randomUUID();
  private readonly local?: LocalTarget;
  private readonly outbound: Outbound;
  private stopped = false;
  private session?: ServerHttp2Session;
  private control?: ServerHttp2Stream;
  private wake?: () => void;
  private starting?: Promise<ConnectorState>;

  constructor(private readonly options: ConnectorOptions) {
    super();
    if (options.intercept && !options.localPort) throw new Error('an intercept needs the localPort to deliver requests to');
    const host = os.hostname();
    if (options.localPort) {
      this.local = localTarget({
        host: options.localHost ?? '127.0.0.1',
        port: options.localPort,
        holdMs: options.holdMs ?? DEFAULT_HOLD_MS,
        servedBy: options.servedBy ?? `local (${host})`,
      });
    }
    this.outbound = new Outbound(Math.max(options.holdMs ?? DEFAULT_HOLD_MS, 10_000), (error) => this.emit('outbound-error', error));
  }

  get state(): ConnectorState {
    return this.current;
  }

  /**
   * Starts connecting; resolves with the first 'active' state. Rejects with a
   * ConnectorRefusedError when the agent refuses (wrong token, intercept held by someone else),
   * which is final; any other failure is retried until stop().
   */
  start(): Promise<ConnectorState> {
    this.starting ??= new Promise((resolve, reject) => {
      const watch = (state: ConnectorState) => {
        if (state.state === 'active') resolve(state);
        else if (state.state === 'refused') reject(new ConnectorRefusedError(state.code, state.message));
        else if (state.state === 'stopped') reject(new Error('the connector was stopped before the tunnel came up'));
        else return;
        this.off('state', watch);
      };
      this.on('state', watch);
      void this.run();
    });
    return this.starting;
  }

  /** Exposes host:port of the cluster on a local port, through the tunnel. */
  expose(target: ExposeOptions): Promise<Exposed> {
    return this.outbound.expose(target);
  }

  /** Leaves the intercept: the agent routes everything to the app again at once. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.wake?.();
    const session = this.session;
    if (session && !session.destroyed) {
      this.control?.end();
      await new Promise<void>((resolve) => {
        const force = setTimeout(() => session.destroy(), 1000);
        session.close(() => {
          clearTimeout(force);
          resolve();
        });
      });
    }
    await this.outbound.close();
    if (this.local) await closeLocal(this.local);
    this.setState({ state: 'stopped' });
  }

  private setState(state: ConnectorState) {
    this.current = state;
    this.emit('state', state);
  }

  private async run() {
    const { initialMs = 100, maxMs = 5000 } = this.options.backoff ?? {};
    let attempt = 0;
    let everActive = false;
    while (!this.stopped) {
      this.setState({ state: 'connecting', attempt });
      let outcome: SessionOutcome;
      try {
        const stream = await socketFor(await this.options.openStream());
        outcome = await this.runSession(stream, everActive);
      } catch (error) {
        outcome = { reason: `cannot open the tunnel: ${(error as Error).message}`, wasActive: false };
      }
      if (outcome.refused) {
        this.stopped = true;
        await this.outbound.close();
        return this.setState({ state: 'refused', ...outcome.refused });
      }
      if (this.stopped) return;
      everActive ||= outcome.wasActive;
      attempt = outcome.wasActive ? 1 : attempt + 1;
      const retryInMs = Math.min(maxMs, initialMs * 2 ** (attempt - 1)) * (0.8 + Math.random() * 0.4);
      this.setState({ state: 'reconnecting', reason: outcome.reason, retryInMs: Math.round(retryInMs), attempt });
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, retryInMs);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  /** One tunnel, from the byte stream to its end; resolves with why it ended. */
  private runSession(stream: Duplex, reconnect: boolean): Promise<SessionOutcome> {
    return new Promise((resolve) => {
      const server = http2.createServer({ settings: H2_SETTINGS, maxSessionMemory: MAX_SESSION_MEMORY_MB });
      let session: ServerHttp2Session | undefined;
      let active = false;
      let refused: SessionOutcome['refused'];
      let heartbeat: NodeJS.Timeout | undefined;
      let lastHeard = Date.now();
      const handshake = setTimeout(
        () => end(`no answer from the agent within ${this.options.handshakeTimeoutMs ?? 10_000} ms`),
        this.options.handshakeTimeoutMs ?? 10_000,
      );

      let ended = false;
      const end = (reason: string) => {
        if (ended) return;
        ended = true;
        clearTimeout(handshake);
        clearInterval(heartbeat);
        if (active) this.outbound.offline();
        session?.destroy();
        stream.destroy();
        if (this.session === session) this.session = undefined;
        resolve({ reason, wasActive: active, refused });
      };

      const onControl = (control: ServerHttp2Stream) => {
        this.control = control;
        control.respond({ ':status': 200 });
        control.on('error', () => {});
        // On stop() both sides end the control stream; the session then closes once the requests in flight are answered.
        control.on('close', () => {
          if (!this.stopped) end('the agent closed the control stream');
        });
        const send = (message: ConnectorMessage) => writeMessage(control, message);
        send({
          type: 'hello',
          protocol: PROTOCOL_VERSION,
          token: this.options.token,
          connectorId: this.connectorId,
          owner: this.options.owner ?? defaultOwner(),
          intercept: this.options.intercept,
        });
        readMessages<AgentMessage>(
          control,
          (message) => {
            lastHeard = Date.now();
            if (message.type === 'welcome') {
              clearTimeout(handshake);
              active = true;
              if (reconnect) this.stats.reconnects++;
              heartbeat = setInterval(() => {
                if (Date.now() - lastHeard > message.heartbeatMs * 3.5) return end(`no heartbeat answer for ${Date.now() - lastHeard} ms`);
                send({ type: 'ping' });
              }, message.heartbeatMs);
              this.outbound.online((id, host, port) => send({ type: 'dial', id, host, port }));
              this.setState({ state: 'active', agent: message.agent, intercept: message.intercept, reconnects: this.stats.reconnects });
              this.emit('intercepts', message.intercepts);
            } else if (message.type === 'refused') {
              refused = { code: message.code, message: message.message };
            } else if (message.type === 'intercepts') {
              this.emit('intercepts', message.intercepts);
            } else if (message.type === 'dial-failed') {
              this.outbound.fail(message.id, message.message);
            } else if (message.type === 'dropped' && Number.isSafeInteger(message.count) && message.count > 0) {
              this.stats.dropped += message.count;
              this.emit('dropped', message.count);
            }
          },
          (reason) => end(`protocol error: ${reason}`),
        );
      };

      const onStream = (tunneled: ServerHttp2Stream, headers: IncomingHttpHeaders) => {
        const kind = headers[KIND_HEADER];
        if (kind === 'control' && !active) return onControl(tunneled);
        if (!active) return void tunneled.close(constants.NGHTTP2_REFUSED_STREAM);
        if (kind === 'dial') return this.outbound.attach(String(headers[DIAL_ID_HEADER]), tunneled);
        if (!this.local) return void tunneled.close(constants.NGHTTP2_REFUSED_STREAM);
        const onDone = (routed: RoutedRequest) => {
          if (routed.error) this.stats.failed++;
          this.stats.routed++;
          this.emit('request', routed);
        };
        if (kind === 'http' || kind === 'mirror') return deliverHttp(tunneled, headers, this.local, onDone, kind === 'mirror');
        if (kind === 'h2') return deliverH2(tunneled, headers, this.local, onDone);
        if (kind === 'raw') {
          this.stats.connections++;
          return void deliverRaw(tunneled, headers, this.local);
        }
        tunneled.close(constants.NGHTTP2_REFUSED_STREAM);
      };

      server.on('session', (created: ServerHttp2Session) => {
        session = created;
        this.session = created;
        created.on('error', () => {});
        created.on('close', () => end(refused ? `refused: ${refused.message}` : 'tunnel closed'));
        created.on('localSettings', () => created.setLocalWindowSize(CONNECTION_WINDOW));
      });
      server.on('stream', onStream);
      stream.on('error', (error) => end(`tunnel error: ${error.message}`));
      stream.on('close', () => end('tunnel closed'));
      if (typeof (stream as { setNoDelay?: unknown }).setNoDelay === 'function') (stream as unknown as { setNoDelay(): void }).setNoDelay();
      server.emit('connection', stream);
    });
  }
}

function defaultOwner(): string {
  try {
    return `${os.userInfo().username}@${os.hostname()}`;
  } catch {
    return os.hostname();
  }
}
