import { createServer } from 'node:net';
import { freemem } from 'node:os';

/** Memory the kernel can hand out now (MemAvailable on Linux, which counts reclaimable cache). */
export function availableMemoryBytes(): number {
  return freemem();
}

/** Whether `port` can be bound on all interfaces, as the port-forwards and services will. */
export function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host: '0.0.0.0', exclusive: true }, () => server.close(() => resolve(true)));
  });
}
