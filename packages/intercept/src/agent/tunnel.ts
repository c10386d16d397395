import { createHash, timingSafeEqual } from 'node:crypto';
import { EventEmitter } from 'node:events';
import http2, { type ClientHttp2Session, type ClientHttp2Stream } from 'node:http2';
import net from 'node:net';
import type { Logger } from 'pino';
import { readMessages, writeMessage } from '../tunnel/control-channel';
import {
  type AgentMessage,
  CONNECTION_WINDOW,
  DIAL_ID_HEADER,
  H2_SETTINGS,
  type InterceptSpec,
  KIND_HEADER,
  MAX_SESSION_MEMORY_MB,
  PROTOCOL_VERSION,
  type RefusalCode,
} from '../tunnel/protocol';
import { splice } from '../tunnel/splice';
import { describe } from './intercept-rules';
import { checkDial, checkHello } from './validate';

/** A connector must say hello within this time after connecting. */
const HELLO_TIMEOUT_MS = 10_000;
/** Outbound dials inside the cluster give up after this. */
const DIAL_TIMEOUT_MS = 10_000;

export interface TunnelOptions {
  token: string;
  heartbeatMs: number;
  missedHeartbeats: number;
  logger: Logger;
  /** called once the connector proved the token; returns a refusal, or undefined when registered */
  onHello(tunnel: Tunnel, hello: { owner: string; intercept?: InterceptSpec }): { code: RefusalCode; message: string } | undefined;
}

/**
 * One connector's tunnel, seen from the agent: an HTTP/2 client session over the accepted
 * socket. Emits 'close' exactly once, whatever ended it (socket closed, heartbeats missed,
 * protocol error); the agent then routes that connector's traffic back to the app.
 */
export class Tunnel extends EventEmitter {
  readonly remote: string;
  connectorId = '';
  owner = '';
  private readonly session: ClientHttp2Session;
  private control?: ClientHttp2Stream;
  private authenticated = false;
  private closed = false;
  /** the connector said goodbye (GOAWAY): no new requests, in-flight ones may finish */
  private leaving = false;
  /** a refusal is on its way: nothing more is read from this peer */
  private refusing = false;
  /** outbound connections open or being dialled for this connector */
  private dials = 0;
  private lastHeard = Date.now();
  private readonly timer: NodeJS.Timeout;

  constructor(
    socket: net.Socket,
    private readonly options: TunnelOptions,
  ) {
    super();
    this.remote = `${socket.remoteAddress}:${socket.remotePort}`;
    socket.setNoDelay(true);
    this.session = http2.connect('http://ffk-connector', {
      createConnection: () => socket,
      settings: H2_SETTINGS,
      maxSessionMemory: MAX_SESSION_MEMORY_MB,
    });
    this.session.on('connect', () => this.session.setLocalWindowSize(CONNECTION_WINDOW));
    this.session.on('error', (error: Error) => this.close(`tunnel error: ${error.message}`));
    this.session.on('close', () => this.close(this.leaving ? 'connector left' : 'tunnel closed'));
    this.session.on('goaway', () => {
      this.leaving = true;
      this.emit('leaving');
      this.control?.end();
      this.session.close();
    });
    socket.on('error', (error) => this.close(`tunnel socket error: ${error.message}`));
    this.openControl();
    const started = Date.now();
    this.timer = setInterval(() => this.checkLiveness(started), Math.min(250, options.heartbeatMs / 2));
  }

  get isOpen(): boolean {
    return this.authenticated && !this.closed && !this.leaving;
  }

  /** Opens a stream to the connector; throws when the session is already going away. */
  request(headers: http2.OutgoingHttpHeaders | readonly string[], endStream: boolean, waitForTrailers = false): ClientHttp2Stream {
    return this.session.request(headers, { endStream, waitForTrailers });
  }

  send(message: AgentMessage): void {
    if (this.control) writeMessage(this.control, message);
  }

  close(reason: string): void {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.timer);
    this.session.destroy();
    this.emit('close', reason);
  }

  /** Refuses politely: the connector reads why, then the tunnel closes. */
  refuse(code: RefusalCode, message: string): void {
    if (this.refusing) return;
    this.refusing = true;
    this.send({ type: 'refused', code, message });
    this.control?.end();
    setTimeout(() => this.close(`refused: ${message}`), 200).unref();
  }

  private openControl() {
    const control = this.session.request({ ':method': 'POST', ':path': '/', [KIND_HEADER]: 'control' }, { endStream: false });
    this.control = control;
    control.on('error', () => this.close('control stream failed'));
    // After a goodbye both sides end the control stream; the tunnel stays until the requests in flight are answered.
    control.on('close', () => {
      if (!this.leaving) this.close('control stream closed');
    });
    readMessages<{ type: string } & Record<string, unknown>>(
      control,
      (message) => this.onMessage(message),
      (reason) => this.protocolError(reason),
    );
  }

  private onMessage(message: { type: string } & Record<string, unknown>) {
    this.lastHeard = Date.now();
    if (this.refusing) return;
    if (!this.authenticated) {
      if (message.type !== 'hello') return this.protocolError(`expected hello, got ${describe(message.type)}`);
      return this.onHello(message);
    }
    if (message.type === 'ping') this.send({ type: 'pong' });
    else if (message.type === 'dial') this.dial(message);
    else this.protocolError(`unexpected ${describe(message.type)}`);
  }

  private onHello(message: Record<string, unknown>) {
    const { logger } = this.options;
    if (message.protocol !== PROTOCOL_VERSION) {
      return this.refuse(
        'protocol',
        `the agent speaks tunnel protocol ${PROTOCOL_VERSION}, the connector ${describe(message.protocol)}: use matching ffk versions`,
      );
    }
    if (typeof message.token !== 'string' || message.token.length > MAX_TOKEN_LENGTH || !sameSecret(message.token, this.options.token)) {
      // Never log what was sent: it may be a near-miss of the real token.
      logger.warn({ remote: this.remote }, 'tunnel refused: wrong token');
      return this.refuse('token', 'the agent refused the token: it does not match this agent (reinstall the agent or use its token)');
    }
    const checked = checkHello(message);
    if (!checked.ok) {
      logger.info({ remote: this.remote, reason: checked.problem }, 'tunnel refused: bad hello');
      return this.refuse('bad-request', checked.problem);
    }
    const hello = checked.value;
    this.connectorId = hello.connectorId;
    this.owner = hello.owner;
    this.authenticated = true;
    const refusal = this.options.onHello(this, hello);
    if (refusal) this.refuse(refusal.code, refusal.message);
  }

  private dial(message: Record<string, unknown>) {
    const { logger } = this.options;
    const checked = checkDial(message);
    if (!checked.ok) {
      if (checked.id === undefined) return this.protocolError(checked.problem);
      logger.info({ owner: this.owner, reason: checked.problem }, 'outbound dial refused');
      return this.send({ type: 'dial-failed', id: checked.id, message: checked.problem });
    }
    const { id, host, port } = checked.value;
    if (this.dials >= MAX_DIALS)
      return this.send({ type: 'dial-failed', id, message: `${host}:${port}: this tunnel already has ${MAX_DIALS} outbound connections` });
    let target: net.Socket;
    try {
      target = net.connect({ host, port, timeout: DIAL_TIMEOUT_MS });
    } catch (error) {
      // Checked above; this is the last line should Node still refuse the options.
      return this.send({ type: 'dial-failed', id, message: `${host}:${port}: ${(error as Error).message}` });
    }
    this.dials++;
    target.once('close', () => this.dials--);
    target.setNoDelay(true);
    const failed = (error: Error) => {
      logger.info({ host, port, owner: this.owner, err: error.message }, 'outbound dial failed');
      this.send({ type: 'dial-failed', id, message: `${host}:${port}: ${error.message}` });
      target.destroy();
    };
    target.on('error', failed);
    target.on('timeout', () => failed(new Error(`no connection within ${DIAL_TIMEOUT_MS} ms`)));
    target.once('connect', () => {
      target.off('error', failed);
      target.setTimeout(0);
      if (this.closed) return target.destroy();
      logger.debug({ host, port, owner: this.owner }, 'outbound dial');
      let stream: ClientHttp2Stream;
      try {
        stream = this.request({ ':method': 'POST', ':path': '/', [KIND_HEADER]: 'dial', [DIAL_ID_HEADER]: id }, false);
      } catch {
        return target.destroy(); // the tunnel is going away
      }
      splice(target, stream);
    });
  }

  private checkLiveness(started: number) {
    const now = Date.now();
    if (!this.authenticated) {
      if (now - started > HELLO_TIMEOUT_MS) this.close(`no hello within ${HELLO_TIMEOUT_MS} ms`);
      return;
    }
    const limitMs = this.options.heartbeatMs * this.options.missedHeartbeats;
    if (now - this.lastHeard <= limitMs) return;
    // Timers run before the event loop reads sockets: when this process itself stalled (a starved
    // CPU, a long pause), the pings that came meanwhile are still unread. Judge once they are read.
    setImmediate(() => {
      const silentMs = Date.now() - this.lastHeard;
      if (silentMs > limitMs) this.close(`no heartbeat for ${silentMs} ms`);
    });
  }

  private protocolError(reason: string) {
    this.options.logger.warn({ remote: this.remote, reason }, 'tunnel closed: protocol error');
    this.close(`protocol error: ${reason}`);
  }
}

const MAX_TOKEN_LENGTH = 4096;
/** Outbound connections per tunnel: a local app's pools need tens, a runaway peer gets no more. */
const MAX_DIALS = 512;

function sameSecret(given: string, expected: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(given), digest(expected));
}
