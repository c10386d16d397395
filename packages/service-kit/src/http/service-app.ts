import express, { type ErrorRequestHandler, type Express, type RequestHandler, type Router } from 'express';
import type { Logger } from 'pino';
import { pickPropagated, withPropagatedHeaders } from '../propagation/context';
import { SERVED_BY_HEADER, servedBy } from './served-by';

/** A readiness check: resolves when the dependency answers, throws (with a reason) when it does not. */
export type ReadinessCheck = () => Promise<unknown>;

export interface ServiceAppOptions {
  logger: Logger;
  /** POD_NAME; when unset the service reports `local (<hostname>)`. */
  podName?: string;
  /** Named dependency checks behind /readyz, e.g. { postgres: () => checkPostgres(pool) }. */
  readiness?: Record<string, ReadinessCheck>;
  /** Longest a single readiness check may take before it counts as failed. */
  readinessTimeoutMs?: number;
}

const PROBES = new Set(['/healthz', '/readyz']);

function requestLog(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const line = { method: req.method, path: req.originalUrl, status: res.statusCode, ms: Math.round(ms * 10) / 10, propagated: pickPropagated(req.headers) };
      // Kubernetes probes every few seconds: keep them out of the default log.
      if (PROBES.has(req.path)) logger.debug(line, 'probe');
      else logger.info(line, 'request');
    });
    next();
  };
}

async function runCheck(check: ReadinessCheck, timeoutMs: number): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    await Promise.race([check(), deadline]);
    return 'ok';
  } catch (error) {
    return (error as Error).message || String(error);
  } finally {
    clearTimeout(timer);
  }
}

function readinessRoute(checks: Record<string, ReadinessCheck>, timeoutMs: number): RequestHandler {
  return async (_req, res) => {
    const names = Object.keys(checks);
    const results = await Promise.all(Object.values(checks).map((check) => runCheck(check, timeoutMs)));
    const failed = names.filter((_, i) => results[i] !== 'ok');
    const body = { status: failed.length ? 'not ready' : 'ready', checks: Object.fromEntries(names.map((name, i) => [name, results[i]])) };
    if (failed.length) res.status(503).json({ ...body, reason: failed.map((name) => `${name}: ${body.checks[name]}`).join('; ') });
    else res.json(body);
  };
}

function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error: { status?: unknown; statusCode?: unknown; message?: string } | undefined, req, res, _next) => {
    const status = Number(error?.status ?? error?.statusCode ?? 500);
    if (status >= 500) logger.error({ err: error, method: req.method, path: req.originalUrl }, 'request failed');
    if (res.headersSent) return void res.destroy();
    // 4xx messages come from body parsing and are about the caller's input; 5xx details stay in the log.
    res.status(status).json({ error: status < 500 ? error?.message : 'internal error' });
  };
}

/**
 * An Express 5 app with what every service shares: the x-ffk-served-by header, header propagation
 * for outbound calls, JSON bodies, a request log, /healthz, /readyz, JSON 404s and errors.
 * `routes` holds the service's own endpoints.
 */
export function createServiceApp(options: ServiceAppOptions, routes: Router): Express {
  const { logger, readiness = {}, readinessTimeoutMs = 2_000 } = options;
  const name = servedBy(options.podName);
  const app = express();
  app.disable('x-powered-by');
  app.use((req, res, next) => {
    res.setHeader(SERVED_BY_HEADER, name);
    withPropagatedHeaders(pickPropagated(req.headers), next);
  });
  app.use(requestLog(logger));
  app.get('/healthz', (_req, res) => void res.json({ status: 'ok' }));
  app.get('/readyz', readinessRoute(readiness, readinessTimeoutMs));
  app.use(express.json({ limit: '100kb' }));
  app.use(routes);
  app.use((req, res) => void res.status(404).json({ error: `no route for ${req.method} ${req.path}` }));
  app.use(errorHandler(logger));
  return app;
}
