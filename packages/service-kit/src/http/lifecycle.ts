import { once } from 'node:events';
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';

export interface RunningServer {
  server: Server;
  port: number;
  /** http://127.0.0.1:<port> (or the host it was bound to). */
  url: string;
  /**
   * Graceful stop: refuse new connections, let in-flight requests finish, close idle keep-alive
   * sockets; after `graceMs` the remaining connections are cut. Resolves 'drained' or 'forced'.
   */
  close(graceMs?: number): Promise<'drained' | 'forced'>;
}

/** Listens on `port` (0 = any free port). Without `host`, all interfaces, as a pod needs. */
export async function listen(handler: RequestListener, { port, host }: { port: number; host?: string }): Promise<RunningServer> {
  const server = createServer(handler);
  server.listen(port, host);
  await once(server, 'listening');
  const bound = (server.address() as AddressInfo).port;
  const urlHost = !host || host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  let closing: Promise<'drained' | 'forced'> | undefined;

  const close = (graceMs = 10_000) =>
    (closing ??= new Promise((resolve) => {
      let outcome: 'drained' | 'forced' = 'drained';
      // A keep-alive socket that finishes its last response becomes idle: sweep those until closed.
      const sweep = setInterval(() => server.closeIdleConnections(), 100);
      const deadline = setTimeout(() => {
        outcome = 'forced';
        server.closeAllConnections();
      }, graceMs);
      server.close(() => {
        clearInterval(sweep);
        clearTimeout(deadline);
        resolve(outcome);
      });
      server.closeIdleConnections();
    }));

  return { server, port: bound, url: `http://${urlHost}:${bound}`, close };
}

export interface RunServiceOptions {
  logger: Logger;
  port: number;
  host?: string;
  /** Builds the request handler (e.g. createApp), after `prepare` succeeded. */
  app: () => RequestListener;
  /** Work before listening, e.g. wait for PostgreSQL and migrate. A failure is logged and exits 1. */
  prepare?: () => Promise<void>;
  /** Cleanup after the server closed, e.g. () => pool.end(). */
  cleanup?: Array<() => Promise<unknown>>;
  /** How long in-flight requests get after SIGTERM (default 10 s, well inside Kubernetes' 30 s grace period). */
  graceMs?: number;
}

/**
 * main.ts in one call: prepare, listen, and on SIGTERM/SIGINT stop gracefully and exit 0. A hard
 * deadline (grace + 5 s) exits 1 if cleanup hangs; a second Ctrl+C exits at once.
 */
export async function runService(options: RunServiceOptions): Promise<RunningServer | undefined> {
  const { logger, graceMs = 10_000, cleanup = [] } = options;
  let running: RunningServer | undefined;
  let stopping = false;

  const stop = async (signal: NodeJS.Signals) => {
    if (stopping) {
      logger.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    stopping = true;
    const started = Date.now();
    logger.info({ signal, graceMs }, 'shutting down: no new connections, finishing in-flight requests');
    setTimeout(() => {
      logger.error({ afterMs: Date.now() - started }, 'shutdown deadline passed: exiting');
      process.exit(1);
    }, graceMs + 5_000).unref();
    const outcome = running ? await running.close(graceMs) : 'drained';
    for (const step of cleanup) await step().catch((error: Error) => logger.warn({ err: error }, 'cleanup step failed'));
    logger.info({ outcome, ms: Date.now() - started }, 'stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));

  try {
    await options.prepare?.();
    if (stopping) return undefined;
    running = await listen(options.app(), { port: options.port, host: options.host });
  } catch (error) {
    // One line that says what failed; these are environment problems, not bugs, so no stack.
    logger.fatal(`could not start: ${(error as Error).message}`);
    process.exit(1);
  }
  logger.info({ url: running.url, port: running.port }, 'listening');
  return running;
}
