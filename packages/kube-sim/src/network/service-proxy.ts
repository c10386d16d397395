// The data path of one Service port, in place of kube-proxy: a TCP listener on the Service's
// address that splices each connection to a ready endpoint, round robin.
import { connect, createServer, type Server, type Socket } from 'node:net';

export interface Backend {
  ip: string;
  port: number;
}

export class ServiceProxy {
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  private next = 0;

  constructor(private backends: () => Backend[]) {
    // noDelay both ways: kube-proxy forwards in the kernel and adds no Nagle/delayed-ACK stall.
    this.server = createServer({ pauseOnConnect: true, noDelay: true }, (client) => this.forward(client));
  }

  listen(host: string, port: number): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        resolve((this.server.address() as { port: number }).port);
      });
    });
  }

  /** Stops listening and cuts every open connection. */
  close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private track(socket: Socket): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
  }

  private forward(client: Socket): void {
    this.track(client);
    client.on('error', () => {});
    const candidates = this.backends();
    if (candidates.length === 0) {
      client.resetAndDestroy(); // no ready endpoint: the client sees the connection refused/reset
      return;
    }
    const start = this.next++ % candidates.length;
    // An endpoint that refuses (a pod just going away) makes us try the next one instead of failing the client.
    const attempt = (tries: number) => {
      const backend = candidates[(start + tries) % candidates.length];
      const upstream = connect({ host: backend.ip, port: backend.port, noDelay: true });
      this.track(upstream);
      let connected = false;
      upstream.once('error', () => {
        if (!connected && tries + 1 < candidates.length && !client.destroyed) attempt(tries + 1);
        else client.destroy();
      });
      upstream.once('connect', () => {
        connected = true;
        upstream.on('error', () => client.destroy());
        client.on('close', () => upstream.destroy());
        upstream.on('close', () => client.destroy());
        // pipe() gives backpressure both ways; half-closes pass through.
        client.pipe(upstream);
        upstream.pipe(client);
        client.resume();
      });
    };
    attempt(0);
  }
}
