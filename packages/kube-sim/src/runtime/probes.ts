// Readiness, liveness and startup probes as the kubelet runs them (httpGet: 200-399 passes;
// tcpSocket: a connection passes), with its defaults and thresholds.
import { execFile } from 'node:child_process';
import { connect } from 'node:net';
import type { Container, IntOrString, Probe } from './kube-types';

/** What a probe runs against: the container, its pod's address, and its environment (exec probes). */
export interface ProbeTarget {
  container: Container;
  podIP: string;
  env: Record<string, string>;
}

const LOOPBACK_ARGUMENT = /\b(127\.0\.0\.1|localhost)\b/g;

export type ProbeKind = 'readiness' | 'liveness' | 'startup';

export interface ProbeResult {
  ok: boolean;
  message: string;
}

/** A named port is looked up in the container's ports, as the kubelet does. */
export function resolvePort(port: IntOrString, container: Container): number | undefined {
  if (typeof port === 'number') return port;
  if (/^\d+$/.test(port)) return Number(port);
  return container.ports?.find((p) => p.name === port)?.containerPort;
}

export async function runProbe(probe: Probe, { container, podIP, env }: ProbeTarget): Promise<ProbeResult> {
  const timeoutMs = (probe.timeoutSeconds ?? 1) * 1000;
  if (probe.httpGet) {
    const port = resolvePort(probe.httpGet.port, container);
    if (port === undefined) return { ok: false, message: `port "${probe.httpGet.port}" not found in container ports` };
    const scheme = (probe.httpGet.scheme ?? 'HTTP').toLowerCase();
    const path = probe.httpGet.path ?? '/';
    const url = `${scheme}://${probe.httpGet.host ?? podIP}:${port}${path.startsWith('/') ? path : `/${path}`}`;
    const headers = Object.fromEntries((probe.httpGet.httpHeaders ?? []).map((h) => [h.name, h.value]));
    try {
      const response = await fetch(url, {
        headers: { 'user-agent': 'kube-probe/1.32', ...headers },
        signal: AbortSignal.timeout(timeoutMs),
        redirect: 'manual',
      });
      await response.body?.cancel();
      return response.status >= 200 && response.status < 400
        ? { ok: true, message: '' }
        : { ok: false, message: `HTTP probe failed with statuscode: ${response.status}` };
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).name;
      return { ok: false, message: `Get "${url}": ${cause === 'TimeoutError' ? 'context deadline exceeded' : cause}` };
    }
  }
  if (probe.tcpSocket) {
    const port = resolvePort(probe.tcpSocket.port, container);
    if (port === undefined) return { ok: false, message: `port "${probe.tcpSocket.port}" not found in container ports` };
    const host = probe.tcpSocket.host ?? podIP;
    return new Promise((resolve) => {
      const socket = connect({ host, port, timeout: timeoutMs });
      socket.once('connect', () => {
        socket.destroy();
        resolve({ ok: true, message: '' });
      });
      socket.once('timeout', () => {
        socket.destroy();
        resolve({ ok: false, message: `dial tcp ${host}:${port}: i/o timeout` });
      });
      socket.once('error', (error: NodeJS.ErrnoException) => resolve({ ok: false, message: `dial tcp ${host}:${port}: ${error.code}` }));
    });
  }
  if (probe.exec?.command?.length) {
    // A local process shares the host's loopback: "localhost" in a probe command means the pod's address.
    const [command, ...args] = probe.exec.command.map((arg) => arg.replace(LOOPBACK_ARGUMENT, podIP));
    return new Promise((resolve) => {
      execFile(command, args, { env, timeout: timeoutMs, killSignal: 'SIGKILL' }, (error, stdout, stderr) => {
        if (!error) resolve({ ok: true, message: '' });
        else if (error.killed) resolve({ ok: false, message: `command timed out after ${timeoutMs / 1000}s` });
        else resolve({ ok: false, message: `${stdout}${stderr}`.trim() || error.message });
      });
    });
  }
  return { ok: false, message: 'kube-sim runs httpGet, tcpSocket and exec probes (grpc is not simulated)' };
}

/**
 * Runs one probe on its schedule and reports when its verdict changes, after successThreshold
 * successes or failureThreshold failures in a row.
 */
export class ProbeWorker {
  private timer: NodeJS.Timeout | undefined;
  private successes = 0;
  private failures = 0;
  private stopped = false;
  verdict: boolean | undefined;
  lastMessage = '';

  constructor(
    private readonly probe: Probe,
    private readonly target: ProbeTarget,
    private readonly onChange: (ok: boolean, message: string) => void,
  ) {}

  start(): void {
    this.schedule((this.probe.initialDelaySeconds ?? 0) * 1000);
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.tick(), ms);
  }

  private async tick(): Promise<void> {
    const result = await runProbe(this.probe, this.target);
    if (this.stopped) return;
    this.lastMessage = result.message;
    if (result.ok) {
      this.failures = 0;
      this.successes++;
      if (this.verdict !== true && this.successes >= (this.probe.successThreshold ?? 1)) this.change(true, '');
    } else {
      this.successes = 0;
      this.failures++;
      if (this.verdict !== false && this.failures >= (this.probe.failureThreshold ?? 3)) this.change(false, result.message);
    }
    this.schedule((this.probe.periodSeconds ?? 10) * 1000);
  }

  private change(ok: boolean, message: string): void {
    this.verdict = ok;
    this.onChange(ok, message);
  }
}
