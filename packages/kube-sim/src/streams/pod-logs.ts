// GET /api/v1/namespaces/{ns}/pods/{name}/log: a container's log as the kubelet serves it,
// with container, previous, follow, tailLines, sinceSeconds, sinceTime, timestamps, limitBytes.
import type { ServerResponse } from 'node:http';
import { fieldForbidden, fieldInvalid } from '../api/field-errors';
import { QueryParameters } from '../api/query-parameters';
import { badRequest, invalid, type StatusCause } from '../api/status';
import type { SubresourceHandler } from '../http/router';
import type { ContainerRunner } from '../runtime/container-runner';
import { type ContainerLog, type LogLine, logTimestamp } from '../runtime/logs';
import type { PodWorker } from '../runtime/pod-worker';

export interface LogQuery {
  container?: string;
  previous: boolean;
  follow: boolean;
  timestamps: boolean;
  tailLines?: number;
  sinceMs?: number;
  limitBytes?: number;
}

/**
 * PodLogOptions as the API server decodes (parameter codec) and validates them
 * (ValidatePodLogOptions): integers that do not parse are a 400, out-of-range ones a 422.
 */
function parseLogQuery(query: URLSearchParams, podName: string): LogQuery {
  const q = new QueryParameters(query);
  const tailLines = q.int64('tailLines');
  const limitBytes = q.int64('limitBytes');
  const sinceSeconds = q.int64('sinceSeconds');
  const sinceTime = q.string('sinceTime');
  const causes: StatusCause[] = [];
  if (tailLines !== undefined && tailLines < 0) causes.push(fieldInvalid('tailLines', tailLines, 'must be greater than or equal to 0'));
  if (limitBytes !== undefined && limitBytes < 1) causes.push(fieldInvalid('limitBytes', limitBytes, 'must be greater than 0'));
  if (sinceSeconds !== undefined && sinceTime) causes.push(fieldForbidden('', 'at most one of `sinceTime` or `sinceSeconds` may be specified'));
  else if (sinceSeconds !== undefined && sinceSeconds < 1) causes.push(fieldInvalid('sinceSeconds', sinceSeconds, 'must be greater than 0'));
  if (causes.length > 0) throw invalid('PodLogOptions', '', podName, causes);
  let sinceMs: number | undefined;
  if (sinceSeconds !== undefined) sinceMs = Date.now() - sinceSeconds * 1000;
  else if (sinceTime) {
    sinceMs = Date.parse(sinceTime);
    if (Number.isNaN(sinceMs))
      throw badRequest(`parsing time ${JSON.stringify(sinceTime)} as "2006-01-02T15:04:05Z07:00": cannot parse ${JSON.stringify(sinceTime)} as RFC 3339`);
  }
  return {
    container: q.string('container'),
    previous: q.boolean('previous') ?? false,
    follow: q.boolean('follow') ?? false,
    timestamps: q.boolean('timestamps') ?? false,
    tailLines,
    sinceMs,
    limitBytes,
  };
}

/** Picks the log a query asks for, or throws the 400 the API server answers. */
function pickLog(worker: PodWorker | undefined, podName: string, query: LogQuery) {
  const runner: ContainerRunner | string = worker ? worker.container(query.container) : (query.container ?? 'container');
  if (typeof runner === 'string' && worker) throw badRequest(runner);
  const name = typeof runner === 'string' ? runner : runner.name;
  const waiting = () =>
    badRequest(
      `container "${name}" in pod "${podName}" is waiting to start: ${typeof runner === 'string' ? 'ContainerCreating' : (runner.status().state.waiting?.reason ?? 'ContainerCreating')}`,
    );
  if (typeof runner === 'string') throw waiting();
  const log = runner.log(query.previous);
  if (!log) throw query.previous ? badRequest(`previous terminated container "${name}" in pod "${podName}" not found`) : waiting();
  return log;
}

function format(line: LogLine, timestamps: boolean): string {
  return `${timestamps ? `${logTimestamp(line.time)} ` : ''}${line.text}\n`;
}

function stream(res: ServerResponse, log: ContainerLog, query: LogQuery): void {
  const lines = log.snapshot();
  const since = query.sinceMs;
  let selected = since === undefined ? lines : lines.filter((l) => l.time >= since);
  if (query.tailLines !== undefined) selected = query.tailLines === 0 ? [] : selected.slice(-query.tailLines);
  res.writeHead(200, { 'content-type': 'text/plain', 'cache-control': 'no-cache, private' });
  let budget = query.limitBytes ?? Number.POSITIVE_INFINITY;
  /** Writes one line; false once limitBytes is used up (the response is then ended). */
  const send = (line: LogLine): boolean => {
    const text = Buffer.from(format(line, query.timestamps));
    if (text.length >= budget) {
      res.end(text.subarray(0, budget));
      return false;
    }
    budget -= text.length;
    res.write(text);
    return true;
  };
  for (const line of selected) if (!send(line)) return;
  if (!query.follow || log.ended) {
    res.end();
    return;
  }
  res.flushHeaders();
  const onLine = (line: LogLine) => {
    if (!send(line)) stop();
  };
  // The container instance is gone: a follow ends, as `kubectl logs -f` does when a container exits.
  const onEnd = () => {
    stop();
    res.end();
  };
  const stop = () => {
    log.off('line', onLine);
    log.off('end', onEnd);
  };
  log.on('line', onLine);
  log.on('end', onEnd);
  res.on('close', stop);
}

/** The `pods/log` subresource, served from the simulated node's pod workers. */
export function podLogsHandler(workers: (namespace: string, name: string) => PodWorker | undefined): SubresourceHandler {
  return {
    kind: 'Pod',
    verbs: ['get'],
    handle({ req, res, query, namespace, name }) {
      if (req.method !== 'GET') throw badRequest(`${req.method} is not supported on pods/log`);
      const options = parseLogQuery(query, name);
      stream(res, pickLog(workers(namespace ?? 'default', name), name, options), options);
    },
  };
}
