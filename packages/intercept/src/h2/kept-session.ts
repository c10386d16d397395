import http2, { type ClientHttp2Session, type ClientHttp2Stream } from 'node:http2';
import net from 'node:net';
import { CONNECTION_WINDOW, H2_SETTINGS } from '../tunnel/protocol';
import { urlAuthority } from '../util/servers';

/**
 * One cleartext HTTP/2 (h2c) session to a port, kept for every call and opened again when it
 * goes away (closed, reset, or a GOAWAY from a server that restarts): many gRPC calls share
 * one connection, as a gRPC client's channel does.
 */
export class KeptSession {
  private current?: Promise<ClientHttp2Session>;

  constructor(
    private readonly host: string,
    private readonly port: number,
  ) {}

  /** The connected session; rejects with the connect error (e.g. ECONNREFUSED) when nothing listens. */
  get(): Promise<ClientHttp2Session> {
    return (this.current ??= this.open());
  }

  /**
   * Opens a stream for a call: its head, then (unless bodiless) a body that ends with trailers.
   * Rejects with the connect error, or ERR_HTTP2_GOAWAY_SESSION / ERR_HTTP2_INVALID_SESSION
   * when the session went away meanwhile (the next call opens a fresh one).
   */
  async request(head: string[], bodiless: boolean): Promise<ClientHttp2Stream> {
    const session = await this.get();
    return session.request(head, { endStream: bodiless, waitForTrailers: !bodiless });
  }

  close(): void {
    void this.current?.then(
      (session) => session.destroy(),
      () => {},
    );
    this.current = undefined;
  }

  private open(): Promise<ClientHttp2Session> {
    const { host, port } = this;
    // Nagle off, as on every other socket of ours: a call's small frames must not wait for an ACK.
    const createConnection = () => net.connect({ host, port, noDelay: true });
    const session = http2.connect(`http://${urlAuthority(host, port)}`, { settings: H2_SETTINGS, createConnection });
    const opened = new Promise<ClientHttp2Session>((resolve, reject) => {
      session.once('connect', () => {
        // As on the tunnel: one large answer must not wait on the 64 KiB default window.
        session.setLocalWindowSize(CONNECTION_WINDOW);
        resolve(session);
      });
      session.once('error', reject);
    });
    const forget = () => {
      if (this.current === opened) this.current = undefined;
    };
    session.on('error', () => session.destroy());
    session.once('close', forget);
    session.once('goaway', forget);
    opened.catch(forget);
    return opened;
  }
}
