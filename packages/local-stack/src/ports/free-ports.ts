import { createServer } from 'node:net';
import { simulatorHoldingPort, stopSimulatorAdvice } from '@ffk/process-kit';

export interface NamedPort {
  name: string;
  port: number;
  /** The variable that moves this port elsewhere, for the error message. */
  envVar: string;
}

export class PortInUseError extends Error {}

function tryBind(port: number): Promise<NodeJS.ErrnoException | null> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', (error) => resolve(error));
    // No host: the services listen on every interface, so probe the same way.
    probe.listen(port, () => probe.close(() => resolve(null)));
  });
}

/** Fails with one line naming the first busy port and how to move on; `repoRoot` is the checkout whose simulator may hold it. */
export async function assertPortsFree(ports: NamedPort[], repoRoot: string): Promise<void> {
  for (const { name, port, envVar } of ports) {
    if (port === 0) continue;
    const error = await tryBind(port);
    const simulator = error?.code === 'EADDRINUSE' ? simulatorHoldingPort(port, repoRoot) : undefined;
    if (simulator)
      throw new PortInUseError(`port ${port} (${name}) is already in use: ${stopSimulatorAdvice(simulator.pid)}, or choose another with ${envVar}=<port>`);
    if (error?.code === 'EADDRINUSE') {
      throw new PortInUseError(
        `port ${port} (${name}) is already in use: stop what holds it (\`lsof -i :${port}\` shows it, often an earlier \`npm run dev\`) or choose another with ${envVar}=<port>`,
      );
    }
    if (error) throw new PortInUseError(`cannot listen on port ${port} (${name}): ${error.message}; choose another with ${envVar}=<port>`);
  }
}

/** A port nobody listens on right now, for callers (tests) that ask for port 0: each service needs its number before it starts. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}
