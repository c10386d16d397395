// `ffk intercept`: banner and guard, then the session (packages/intercept/src/session) step by
// step with its progress rendered, then the foreground until Ctrl-C, `ffk leave`, or the end of
// `-- <command>`.
import { resolve } from 'node:path';
import { describeDrift } from '@ffk/cluster';
import { ConnectorRefusedError, type InterceptSpec } from '@ffk/intercept';
import { DEFAULT_LEASE_SECONDS, formatEnvFile } from '@ffk/intercept/control';
import { InterceptSession, type LocalEnvironment, type PodTunnels, SessionInterrupted, TunnelUnreachableError } from '@ffk/intercept/session';
import type { ClusterFlags } from '../cli-kit/cluster-flags';
import { openClusterSession } from '../cli-kit/cluster-session';
import { UsageError } from '../cli-kit/errors';
import type { Print, Reporter } from '../cli-kit/output';
import { writePrivateFile } from '../cli-kit/private-file';
import { thisProcess } from '../cli-kit/process-alive';
import { type LocalCommand, runLocalCommand } from './child';
import { describeMode, modeLabel, parseInterceptSpec, parsePortFlag, type PortFlag } from './flags';
import { type LocalIntercept, removeLocalIntercept, writeLocalIntercept } from './local-state';
import { attachStatusView } from './status-view';

export interface InterceptFlags extends ClusterFlags {
  port?: string;
  user?: string;
  header?: string;
  mirror?: boolean;
  envFile?: string;
  writeEnv?: string;
  agentImage?: string;
  leaseSeconds?: string;
  tunnelTimeout?: string;
}

type Cleanup = () => unknown;

/** Resolves with the exit code: 0 after Ctrl-C / `ffk leave`, the command's own with `-- <command>`. */
export async function runIntercept(deploymentName: string, command: string[], flags: InterceptFlags, reporter: Reporter, out: Print): Promise<number> {
  const started = performance.now();
  const port = parsePortFlag(flags.port);
  const spec = parseInterceptSpec(flags.user, flags.header, flags.mirror);
  const leaseSeconds = parseLeaseSeconds(flags.leaseSeconds);
  const mode = describeMode(spec, port.local);
  const cluster = openClusterSession(flags, reporter, {
    action: `ffk intercept ${deploymentName}`,
    workload: `deployment/${deploymentName}`,
    mode,
    changes: true,
  });
  const { target } = cluster;
  reporter.data({
    event: 'target',
    context: target.context,
    server: target.server,
    namespace: target.namespace,
    workload: `deployment/${deploymentName}`,
    mode: spec.mode,
  });
  const cleanups: Cleanup[] = [cluster.pin.watch((drifts) => drifts.forEach((d) => reporter.warn(describeDrift(d, target.context))))];
  const cleanup = async () => {
    for (let next = cleanups.pop(); next; next = cleanups.pop()) await next();
  };
  const stop = interruptions(cleanups);
  const session = new InterceptSession({
    access: cluster,
    deployment: deploymentName,
    intercept: spec,
    localPort: port.local,
    port: port.remote,
    image: flags.agentImage,
    leaseSeconds,
    tunnelTimeoutMs: Number(flags.tunnelTimeout ?? 20_000),
    signal: stop.signal,
    onProgress: (m) => reporter.step(m),
    onWarning: (m) => reporter.warn(m),
  });
  cleanups.push(() => session.close());
  try {
    const tunnels = await startSession(session, deploymentName, reporter, mode, started);
    const environment = flags.envFile || command.length > 0 ? await importEnvironment(session, deploymentName, flags.envFile, reporter) : undefined;
    cleanups.push(
      trackLocalState(
        { ...thisProcess(), context: target.context, server: target.server, namespace: target.namespace, deployment: deploymentName },
        spec,
        port,
        tunnels,
      ),
    );
    const child = environment && command.length > 0 ? await startCommand(command, environment, reporter, cleanups) : undefined;
    cleanups.push(
      attachStatusView(tunnels, reporter, out, {
        deployment: deploymentName,
        target: `127.0.0.1:${port.local}`,
        mirror: spec.mode === 'mirror',
        tty: Boolean(process.stdout.isTTY),
      }),
    );
    const ended = await foreground(stop.signal, child, command[0]);
    const stats = tunnels.stats;
    await cleanup();
    reporter.done(
      spec.mode === 'mirror'
        ? `left the mirror of ${deploymentName} (${ended.why}): ${stats.routed} copies were answered on your machine, ${stats.dropped} dropped; the cluster's pods answered every request`
        : `left the intercept of ${deploymentName} (${ended.why}): the cluster's pods answer again; ${stats.routed} requests were routed to your machine`,
    );
    reporter.data({ event: 'left', reason: ended.why, exitCode: ended.code, ...stats });
    return ended.code;
  } catch (error) {
    await cleanup();
    if (!(error instanceof SessionInterrupted)) throw interceptError(error, deploymentName, spec);
    reporter.done(`stopped before the intercept started (${error.message}); nothing routes to your machine`);
    reporter.data({ event: 'left', reason: error.message, exitCode: 0 });
    return 0;
  }
}

function parseLeaseSeconds(value: string | undefined): number {
  const seconds = value ? Number(value) : DEFAULT_LEASE_SECONDS;
  if (!Number.isInteger(seconds) || seconds < 5) throw new UsageError(`--lease-seconds must be a whole number of seconds ≥ 5, got "${value}"`);
  return seconds;
}

/** Ctrl-C or `ffk leave` (SIGTERM) may come at any moment, during setup too: each aborts the session. */
function interruptions(cleanups: Cleanup[]): AbortController {
  const stop = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => stop.abort(signal === 'SIGINT' ? 'Ctrl-C' : signal);
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  cleanups.push(() => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  });
  return stop;
}

async function startSession(session: InterceptSession, deployment: string, reporter: Reporter, mode: string, started: number): Promise<PodTunnels> {
  const agent = await session.ensureAgent();
  const what = `${agent.version ?? 'unversioned'} on ${agent.image}`;
  const verb = agent.installedNow ? 'installed in' : agent.upgradedFrom ? `upgraded from ${agent.upgradedFrom} in` : 'already in';
  reporter.done(`agent ${verb} deployment ${deployment} (${what})`, agent.ms);
  reporter.data({
    event: 'agent',
    installedNow: agent.installedNow,
    upgradedFrom: agent.upgradedFrom,
    version: agent.version,
    image: agent.image,
    ms: Math.round(agent.ms),
  });
  const { record } = session.agent;
  reporter.step(`opening tunnels (port-forward to ${record.tunnelPort}) to the Ready pods of deployment ${deployment} and registering the intercept`);
  const ready = await session.openTunnels();
  reporter.done(`intercepting ${deployment} port ${ready.port.name} (${ready.port.app}) on ${ready.pods.join(', ')}: ${mode}`, ready.ms);
  reporter.data({ event: 'active', pods: ready.pods, port: ready.port.name, localPort: ready.localPort, ms: Math.round(performance.now() - started) });
  return session.tunnels;
}

async function importEnvironment(session: InterceptSession, deployment: string, envFile: string | undefined, reporter: Reporter): Promise<LocalEnvironment> {
  const { container } = session.agent.record;
  reporter.step(`importing the environment of container ${container}`);
  const environment = await session.importEnvironment();
  for (const o of environment.outbound) reporter.text(`  ${o.target} → ${o.local}`);
  const rewritten = environment.rewritten.map((r) => r.name);
  const skipped = environment.skipped.map((s) => `${s.name} (${s.reason})`);
  reporter.done(
    `environment: ${Object.keys(environment.env).length} variables${rewritten.length ? `; pointed at local tunnels: ${rewritten.join(', ')}` : ''}${skipped.length ? `; left out: ${skipped.join(', ')}` : ''}`,
  );
  const file = envFile ? resolve(envFile) : undefined;
  if (file) {
    writePrivateFile(
      file,
      formatEnvFile(
        environment.env,
        `environment of deployment/${deployment} (container ${container}), imported by ffk intercept; cluster hosts point at its tunnels while it runs`,
      ),
    );
    reporter.done(`wrote ${file}`);
  }
  reporter.data({
    event: 'env',
    variables: Object.keys(environment.env),
    rewritten,
    outbound: environment.outbound,
    skipped: environment.skipped,
    envFile: file,
  });
  return environment;
}

/** The file `ffk status` and `ffk leave` read, kept current every 2 s; removed on cleanup. */
function trackLocalState(
  where: Pick<LocalIntercept, 'pid' | 'pidStart' | 'context' | 'server' | 'namespace' | 'deployment'>,
  spec: InterceptSpec,
  port: PortFlag,
  tunnels: PodTunnels,
): Cleanup {
  const now = () => new Date().toISOString();
  const local: LocalIntercept = {
    ...where,
    mode: modeLabel(spec),
    localPort: port.local,
    startedAt: now(),
    pods: [],
    routed: 0,
    failed: 0,
    reconnects: 0,
    dropped: 0,
    state: 'active',
    updatedAt: now(),
  };
  const save = () => writeLocalIntercept({ ...local, ...tunnels.stats, pods: [...tunnels.connectors.keys()], updatedAt: now() });
  save();
  const saver = setInterval(save, 2000);
  return () => {
    clearInterval(saver);
    removeLocalIntercept(local);
  };
}

async function startCommand(command: string[], environment: LocalEnvironment, reporter: Reporter, cleanups: Cleanup[]): Promise<LocalCommand> {
  reporter.step(`running ${command.join(' ')}`);
  const child = await runLocalCommand(command, environment.env);
  cleanups.push(() => child.stop());
  return child;
}

/** Until Ctrl-C, `ffk leave` (SIGTERM/SIGINT) or the command's exit. */
function foreground(signal: AbortSignal, child: LocalCommand | undefined, name: string | undefined): Promise<{ why: string; code: number }> {
  return new Promise((resolveEnd) => {
    const onAbort = () => resolveEnd({ why: String(signal.reason), code: 0 });
    if (signal.aborted) onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    void child?.exited.then((code) => resolveEnd({ why: `${name} exited with code ${code}`, code }));
  });
}

function interceptError(error: unknown, deployment: string, spec: InterceptSpec): unknown {
  if (error instanceof ConnectorRefusedError) {
    if (error.code === 'conflict' && spec.mode === 'global') {
      return new UsageError(
        `another developer holds a global intercept on ${deployment} (${error.message}): intercept only your own requests with --user <your name>, or ask them to run \`ffk leave ${deployment}\``,
        1,
        { code: 'conflict' },
      );
    }
    if (error.code === 'token') {
      return new UsageError(
        `the agent in ${deployment} refused the token (Secret ffk-agent-${deployment} changed since the pods started): run \`ffk uninstall ${deployment}\` and intercept again`,
        1,
        { code: 'token' },
      );
    }
    return new UsageError(`the agent in ${deployment} refused: ${error.message}`, 1, { code: error.code });
  }
  if (error instanceof TunnelUnreachableError) {
    return new UsageError(
      `cannot reach the agent's tunnel (port ${error.tunnelPort}) of ${deployment}: ${error.message}; check the pods with \`kubectl get pods\` and that you may create pods/portforward`,
      1,
      { code: 'tunnel-unreachable' },
    );
  }
  return error;
}
