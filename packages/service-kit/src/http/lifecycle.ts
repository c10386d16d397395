import { once } from 'node:events';
import { createServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { announcePortReleased } from '../dev/protocol';

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
  let closing: Promise<'drained' | 'forced'> | undefined;
  // While draining, a keep-alive socket whose response just finished is idle: close it now, so a
  // restart (service-dev, a rollout) is not held up by it. Node itself would keep it open.
  server.on('request', (_req, res: ServerResponse) => res.once('finish', () => closing && setImmediate(() => server.closeIdleConnections())));
  server.listen(port, host);
  await once(server, 'listening');
  const bound = (server.address() as AddressInfo).port;
  const urlHost = !host || host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;

  const close = (graceMs = 10_000) =>
    (closing ??= new Promise((resolve) => {
      let outcome: 'drained' | 'forced' = 'drained';
      const deadline = setTimeout(() => {
        outcome = 'forced';
        server.closeAllConnections();
      }, graceMs);
      server.close(() => {
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
  /** Builds the request handler (e.g. createApp); it only gets requests once `prepare` succeeded. */
  app: () => RequestListener;
  /**
   * Work the service needs before it can answer, e.g. wait for PostgreSQL and migrate. It runs while
   * the server already listens: until it succeeds, /healthz answers 200, /readyz 503 and every other
   * request waits for it. A failure is logged and exits 1.
   */
  prepare?: () => Promise<void>;
  /** Cleanup after the server closed, e.g. () => pool.end(). */
  cleanup?: Array<() => Promise<unknown>>;
  /** How long in-flight requests get after SIGTERM (default 10 s, well inside Kubernetes' 30 s grace period). */
  graceMs?: number;
}

const json = (res: ServerResponse, status: number, body: unknown) =>
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(body));

/**
 * Answers probes itself and holds every other request until `prepared` resolves, then hands them
 * all to `app`. Listening before the slow part of a start (PostgreSQL, migrations) means a
 * restarted process takes requests as soon as its code is loaded, and serves them the moment its
 * database is ready, never before.
 */
function untilPrepared(prepared: Promise<void>, stopping: Promise<void>, app: RequestListener): RequestListener {
  let ready = false;
  void prepared.then(
    () => (ready = true),
    () => {},
  );
  return (req: IncomingMessage, res: ServerResponse) => {
    if (ready) return app(req, res);
    const path = req.url?.split('?')[0];
    if (path === '/healthz') return json(res, 200, { status: 'ok' });
    if (path === '/readyz') return json(res, 503, { status: 'not ready', checks: {}, reason: 'starting: not prepared yet (e.g. PostgreSQL, migrations)' });
    void Promise.race([prepared.then(() => true), stopping.then(() => false)]).then(
      (go) => (go ? app(req, res) : json(res, 503, { error: 'shutting down before the service was ready' })),
      () => {}, // prepare failed: the process is exiting
    );
  };
}

/**
 * main.ts in one call: listen and prepare at once, and on SIGTERM/SIGINT stop gracefully and exit 0.
 * A hard deadline (grace + 5 s) exits 1 if cleanup hangs; a second Ctrl+C exits at once.
 */
export async function runService(options: RunServiceOptions): Promise<RunningServer | undefined> {
  const { logger, graceMs = 10_000, cleanup = [] } = options;
  let running: RunningServer | undefined;
  let stopping = false;
  let onStop!: () => void;
  const stopped = new Promise<void>((resolve) => (onStop = resolve));

  const stop = async (signal: NodeJS.Signals) => {
    if (stopping) {
      logger.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    stopping = true;
    onStop();
    const started = Date.now();
    logger.info({ signal, graceMs }, 'shutting down: no new connections, finishing in-flight requests');
    setTimeout(() => {
      logger.error({ afterMs: Date.now() - started }, 'shutdown deadline passed: exiting');
      process.exit(1);
    }, graceMs + 5_000).unref();
    const closing = running ? running.close(graceMs) : Promise.resolve('drained');
    announcePortReleased(); // under service-dev, the next run starts while this one drains
    const outcome = await closing;
    for (const step of cleanup) await step().catch((error: Error) => logger.warn({ err: error }, 'cleanup step failed'));
    logger.info({ outcome, ms: Date.now() - started }, 'stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));

  const started = performance.now();
  // Started first (up to its first await, e.g. PostgreSQL's connect), then the app is built.
  const prepared = (async () => options.prepare?.())();
  try {
    running = await listen(untilPrepared(prepared, stopped, options.app()), { port: options.port, host: options.host });
    logger.info({ url: running.url, port: running.port }, 'listening');
    await prepared;
  } catch (error) {
    // One line that says what failed; these are environment problems, not bugs, so no stack.
    logger.fatal(`could not start: ${(error as Error).message}`);
    process.exit(1);
  }
  if (!stopping) logger.info({ ms: Math.round(performance.now() - started) }, 'ready');
  return running;
}
