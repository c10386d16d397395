// The foreground view of a running intercept: on a terminal one status line kept current, with
// routed requests (a mirror's copies) printed above it; elsewhere (CI, pipes) one line per event.
import type { ConnectorState, RoutedRequest } from '@ffk/intercept';
import type { PodTunnels } from '@ffk/intercept/session';
import type { Print, Reporter } from '../cli-kit/output';

export function attachStatusView(
  tunnels: PodTunnels,
  reporter: Reporter,
  out: Print,
  options: { deployment: string; target: string; mirror: boolean; tty: boolean },
): () => void {
  const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
  const statusLine = () => {
    const { routed, failed, reconnects, dropped } = tunnels.stats;
    const traffic = options.mirror
      ? `${plural(routed, 'copy', 'copies')} answered locally, ${dropped} dropped`
      : `${plural(routed, 'request')} routed${failed ? ` (${failed} not answered locally)` : ''}`;
    return `● ${options.mirror ? 'mirroring' : 'intercepting'} ${options.deployment} → ${options.target} · ${plural(tunnels.connectors.size, 'pod')} · ${traffic} · ${plural(reconnects, 'reconnect')} · Ctrl-C to leave`;
  };
  const tty = options.tty && !reporter.json;
  const line = (text: string) => {
    if (reporter.json) return;
    out(tty ? `\r\x1b[2K${text}\n${statusLine()}` : `${text}\n`);
  };
  const onRequest = (pod: string, r: RoutedRequest) => {
    // A gRPC call's HTTP status is 200 whatever happened: its outcome is the grpc-status.
    const grpc = r.grpcStatus === undefined ? '' : ` grpc-status ${r.grpcStatus}`;
    line(`  ${r.mirror ? 'copy of ' : ''}${r.method} ${r.path} → ${r.status}${grpc}${r.error ? ` (${r.error})` : ''} ${Math.round(r.ms)} ms via ${pod}`);
    const { method, path, status, error, mirror, grpcStatus } = r;
    reporter.data({ event: 'request', pod, method, path, status, grpcStatus, ms: Math.round(r.ms), error, mirror });
  };
  const onDropped = (pod: string, count: number) => {
    const total = tunnels.stats.dropped;
    line(`  ${pod} dropped ${plural(count, 'copy', 'copies')} (your process was slow or down; the cluster answered them): ${total} in all`);
    reporter.data({ event: 'dropped', pod, count, total });
  };
  const onState = (pod: string, state: ConnectorState) => {
    if (state.state === 'reconnecting') line(`  tunnel to ${pod} dropped (${state.reason}); reconnecting in ${state.retryInMs} ms (attempt ${state.attempt})`);
    else if (state.state === 'active' && state.reconnects > 0) line(`  tunnel to ${pod} is back (reconnect ${state.reconnects})`);
    else if (state.state === 'refused') line(`  ${pod} refused the intercept: ${state.message}`);
    else return;
    reporter.data({ event: 'state', pod, ...state });
  };
  const onPod = (verb: string) => (pod: string) => {
    line(`  pod ${pod} ${verb}`);
    reporter.data({ event: verb === 'added' ? 'pod-added' : 'pod-removed', pod });
  };
  const added = onPod('added');
  const removed = onPod('removed');
  const onError = (error: Error) => line(`  ${error.message}`);
  tunnels.on('request', onRequest);
  tunnels.on('dropped', onDropped);
  tunnels.on('state', onState);
  tunnels.on('pod-added', added);
  tunnels.on('pod-removed', removed);
  tunnels.on('error', onError);
  const ticker = tty ? setInterval(() => out(`\r\x1b[2K${statusLine()}`), 1000) : undefined;
  if (tty) out(statusLine());
  else line(statusLine());
  return () => {
    clearInterval(ticker);
    if (tty) out('\r\x1b[2K');
    tunnels.off('request', onRequest);
    tunnels.off('dropped', onDropped);
    tunnels.off('state', onState);
    tunnels.off('pod-added', added);
    tunnels.off('pod-removed', removed);
    tunnels.off('error', onError);
  };
}
