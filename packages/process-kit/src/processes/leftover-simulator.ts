// "Port 3001 is already in use" after an aborted run usually means a simulator that
// `ffk sim start --detach` (or a lab) left running for this checkout, whose pods hold the
// storefront's ports. Recognising it lets `npm run dev` and the labs say so, and how to end it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { listeningSockets, socketInodesOf } from './sockets';
import { descendants, isAlive } from './tree';

/**
 * The simulator recorded in this checkout's sim state (`.ffk/sim`, or $FFK_SIM_DIR), when it or
 * one of its pods listens on `port` (Linux; elsewhere, undefined: we cannot tell).
 */
export function simulatorHoldingPort(port: number, repoRoot: string): { pid: number } | undefined {
  const dir = process.env.FFK_SIM_DIR ?? join(repoRoot, '.ffk', 'sim');
  let pid: number;
  try {
    pid = Number((JSON.parse(readFileSync(join(dir, 'server.json'), 'utf8')) as { pid?: number }).pid);
  } catch {
    return undefined; // no simulator recorded
  }
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return undefined;
  const onPort = new Set([...(listeningSockets() ?? [])].filter(([, socket]) => socket.port === port).map(([inode]) => inode));
  return [pid, ...descendants(pid)].some((member) => socketInodesOf(member).some((inode) => onPort.has(inode))) ? { pid } : undefined;
}

/** The advice for a port held by this checkout's simulator. */
export const stopSimulatorAdvice = (pid: number) => `this checkout's kube-sim (pid ${pid}, left running by \`ffk sim start --detach\` or a lab) holds it: stop it with \`npm run ffk -- sim stop\``;
