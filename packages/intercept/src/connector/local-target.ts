import http from 'node:http';
import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { Pool } from 'undici';
import { KeptSession } from '../h2/kept-session';
import { urlAuthority } from '../util/servers';

/** The developer's process, as the connector reaches it. */
export interface LocalTarget {
  host: string;
  port: number;
  /** how long requests wait for the port to open (a restarting `tsx watch`) */
  holdMs: number;
  /** value of the x-ffk-served-by header added to every answer */
  servedBy: string;
  /** keep-alive connections for requests without a body (undici) and with one (node:http) */
  pool: Pool;
  agent: http.Agent;
  /** one kept h2c session for HTTP/2 (gRPC) calls */
  h2: KeptSession;
}

export function localTarget(options: Omit<LocalTarget, 'pool' | 'agent' | 'h2'>): LocalTarget {
  // No timeouts: a long poll or a quiet SSE stream may wait as long as the local process likes.
  const pool = new Pool(`http://${urlAuthority(options.host, options.port)}`, { headersTimeout: 0, bodyTimeout: 0 });
  return { ...options, pool, agent: new http.Agent({ keepAlive: true, maxFreeSockets: 256 }), h2: new KeptSession(options.host, options.port) };
}

/** Closes the kept-alive connections to the local port. */
export async function closeLocal(target: LocalTarget): Promise<void> {
  target.agent.destroy();
  target.h2.close();
  await target.pool.destroy();
}

/**
 * Delay before the next attempt while the local port is closed: short, so restarts feel
 * instant; the last attempt lands on the deadline. Undefined once the deadline has passed.
 * Capped at 25 ms: a refused loopback connect costs microseconds, while a 200 ms cap added
 * ~100 ms on average to every request held across a `tsx watch` restart (save-to-visible).
 */
export function nextWait(attempt: number, deadline: number): number | undefined {
  const left = deadline - Date.now();
  return left <= 0 ? undefined : Math.min(5 * 2 ** attempt, 25, left);
}

/** Errors that mean "nothing was listening", so nothing was sent and a retry is safe. */
export function isNotListening(error: NodeJS.ErrnoException): boolean {
  return error.code === 'ECONNREFUSED';
}

export function notListeningMessage(target: LocalTarget): string {
  return `ffk: the local process is not listening on ${target.host}:${target.port} (waited ${(target.holdMs / 1000).toFixed(1)} s). Start it, or check the port given to ffk intercept.\n`;
}

/** Connects to the local port, retrying while it is closed; undefined once holdMs is over. */
export async function connectLocal(target: LocalTarget): Promise<net.Socket | undefined> {
  const deadline = Date.now() + target.holdMs;
  for (let attempt = 0; ; attempt++) {
    const socket = net.connect({ host: target.host, port: target.port, noDelay: true });
    const error = await new Promise<NodeJS.ErrnoException | undefined>((resolve) => {
      socket.once('connect', () => resolve(undefined));
      socket.once('error', resolve);
    });
    if (!error) return socket;
    socket.destroy();
    const wait = nextWait(attempt, deadline);
    if (!isNotListening(error) || wait === undefined) return undefined;
    await sleep(wait);
  }
}
