// Copies of requests for mirror intercepts. The original is never touched: its body is read by
// whoever it goes to, at their pace, and the copy takes each chunk as it passes. A copy that
// cannot keep up is dropped, never waited for, so the cluster's answers do not depend on the
// developer's process; the drops are counted and reported to that developer.
import type { IncomingMessage } from 'node:http';
import type { ClientHttp2Stream } from 'node:http2';
import type { Logger } from 'pino';
import { endToEndHeaders, hasBody } from '../tunnel/headers';
import { KIND_HEADER, NGHTTP2_CANCEL } from '../tunnel/protocol';
import type { Interception } from './intercepts';
import type { Tunnel } from './tunnel';

export interface MirrorLimits {
  /** copies sent and not yet answered by the developer's process: the queue */
  inFlight: number;
  /** bytes of copied bodies the agent holds because the tunnel has not taken them yet */
  bufferedBytes: number;
  /** how often dropped copies are reported to the connector, at most */
  reportMs: number;
}

export const MIRROR_LIMITS: MirrorLimits = { inFlight: 32, bufferedBytes: 16 * 1024 * 1024, reportMs: 250 };

/** One mirror intercept's copies in flight, with its counters (on the intercept's info, which `ffk list` shows). */
export class MirrorCopies {
  private readonly inFlight = new Set<ClientHttp2Stream>();
  private unreported = 0;
  private reportTimer?: NodeJS.Timeout;

  constructor(
    private readonly mirror: Interception<Tunnel>,
    private readonly logger: Logger,
    private readonly limits: MirrorLimits = MIRROR_LIMITS,
  ) {}

  /** Sends a copy of this request: its head at once, its body as the original's passes. */
  copy(req: IncomingMessage): void {
    const tunnel = this.mirror.holder;
    if (!tunnel.isOpen || this.inFlight.size >= this.limits.inFlight) return this.drop('queue full');
    const bodiless = !hasBody(req.headers);
    let stream: ClientHttp2Stream;
    try {
      const head = [':method', req.method ?? 'GET', ':path', req.url ?? '/', ':authority', req.headers.host ?? 'localhost', KIND_HEADER, 'mirror'];
      stream = tunnel.request(endToEndHeaders(req.headers, head), bodiless);
    } catch {
      return this.drop('tunnel closing');
    }
    this.inFlight.add(stream);
    let answered = false;
    let abandoned = false;
    stream.on('error', () => {});
    stream.once('response', () => (answered = true));
    stream.resume(); // the connector sends no body back; nothing is kept
    stream.once('close', () => {
      this.inFlight.delete(stream);
      if (answered) this.mirror.info.copied = (this.mirror.info.copied ?? 0) + 1;
      else if (!abandoned) this.drop('tunnel closed');
    });
    if (bodiless) return;
    const abandon = (why: string) => {
      if (abandoned || stream.closed) return;
      abandoned = true;
      detach();
      stream.close(NGHTTP2_CANCEL);
      this.drop(why);
    };
    const onData = (chunk: Buffer) => {
      // write() says false once more than a few KiB wait; only then is the sum worth taking.
      if (!stream.write(chunk) && this.buffered() > this.limits.bufferedBytes) abandon('body backlog over budget');
    };
    const onEnd = () => {
      detach();
      stream.end();
    };
    // The client went away mid-body: the copy would be a request nobody sent.
    const onClose = () => {
      if (!req.complete) abandon('original aborted');
    };
    const detach = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('close', onClose);
    };
    req.on('data', onData);
    req.once('end', onEnd);
    req.once('close', onClose);
  }

  private buffered(): number {
    let bytes = 0;
    for (const stream of this.inFlight) bytes += stream.writableLength;
    return bytes;
  }

  private drop(why: string): void {
    const { info, holder } = this.mirror;
    info.dropped = (info.dropped ?? 0) + 1;
    this.unreported++;
    if (this.logger.isLevelEnabled('debug')) this.logger.debug({ owner: info.owner, why }, 'mirror copy dropped');
    this.reportTimer ??= setTimeout(() => {
      this.reportTimer = undefined;
      if (holder.isOpen) holder.send({ type: 'dropped', count: this.unreported });
      this.unreported = 0;
    }, this.limits.reportMs).unref();
  }
}
