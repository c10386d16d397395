// The simulator hands every container process a pipe (LIFELINE_FD) and never writes to it.
// When the simulator exits, even by SIGKILL, the kernel closes its end and the read here sees
// end-of-file: the container then shuts down, so no pod process outlives its simulator.
import { Socket } from 'node:net';

export const LIFELINE_FD_ENV = 'KUBE_SIM_LIFELINE_FD';

/** Calls `onLost` once when the simulator's end of the pipe closes. No-op outside the simulator. */
export function watchLifeline(onLost: () => void): void {
  const fd = Number(process.env[LIFELINE_FD_ENV]);
  if (!Number.isInteger(fd) || fd < 3) return;
  delete process.env[LIFELINE_FD_ENV]; // not for the container's own children
  const pipe = new Socket({ fd, readable: true, writable: false });
  pipe.unref(); // must not keep the container alive by itself
  let lost = false;
  const lose = () => {
    if (lost) return;
    lost = true;
    onLost();
  };
  pipe.on('data', () => {});
  pipe.on('end', lose);
  pipe.on('close', lose);
  pipe.on('error', lose);
}

/**
 * Default for Node containers: the simulator is gone, and with it the reader of our stdout, so a
 * graceful exit could block for good (pino flushes synchronously on exit). End the container's
 * whole process group at once instead, as when a node dies.
 */
export function killContainer(): void {
  try {
    process.kill(-process.pid, 'SIGKILL'); // the container runs as its own process group
  } catch {
    process.kill(process.pid, 'SIGKILL');
  }
}
