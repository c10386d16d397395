import { createServer, type Socket } from 'node:net';

export interface SilentServer {
  /** http://127.0.0.1:<port> */
  url: string;
  /** How many connections it has accepted (and left hanging). */
  connections(): number;
  stop(): Promise<void>;
}

/**
 * A real TCP server that accepts connections and never answers: the "slow upstream" that makes
 * timeouts observable without mocking anything.
 */
export async function startSilentServer(): Promise<SilentServer> {
  const held: Socket[] = [];
  const server = createServer((socket) => void held.push(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    connections: () => held.length,
    stop: () =>
      new Promise((resolve) => {
        held.forEach((socket) => socket.destroy());
        server.close(() => resolve());
      }),
  };
}
