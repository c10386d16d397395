// `ffk intercept`: banner, guard, install if needed, tunnels to every Ready agent pod, env
// import, then the foreground until Ctrl-C, `ffk leave`, or the end of `-- <command>`.
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describeDrift, readDeployment, selectorString } from '@ffk/cluster';
import { ConnectorRefusedError } from '@ffk/intercept';
import { DEFAULT_LEASE_SECONDS, defaultHolder, ensureAgent, formatEnvFile, keepLease, leaseFor, renewLease } from '@ffk/intercept/control';
import { openClusterSession, type ClusterFlags } from '../cli-kit/cluster-flags';
import { UsageError } from '../cli-kit/errors';
import type { Print, Reporter } from '../cli-kit/output';
import { runLocalCommand, type LocalCommand } from './child';
import { prepareEnvironment, type LocalEnvironment } from './environment';
import { describeMode, parseInterceptSpec, parsePortFlag } from './flags';
import { gitOpsManager } from './gitops';
import { removeLocalIntercept, writeLocalIntercept, type LocalIntercept } from './local-state';
import { PodTunnels, TunnelUnreachableError } from './pod-tunnels';
import { attachStatusView } from './status-view';

export interface InterceptFlags extends ClusterFlags {
  port?: string;
  user?: string;
  header?: string;
  envFile?: string;
  writeEnv?: string;
  agentImage?: string;
  leaseSeconds?: string;
  tunnelTimeout?: string;
}

/** Resolves with the exit code: 0 after Ctrl-C / `ffk leave`, the command's own with `-- <command>`. */
export async function runIntercept(deploymentName: string, command: string[], flags: InterceptFlags, reporter: Reporter, out: Print): Promise<number> {
  const started = performance.now();
  const port = parsePortFlag(flags.port);
  const spec = parseInterceptSpec(flags.user, flags.header);
  const leaseSeconds = flags.leaseSeconds ? Number(flags.leaseSeconds) : DEFAULT_LEASE_SECONDS;
  if (!Number.isInteger(leaseSeconds) || leaseSeconds < 5) throw new UsageError(`--lease-seconds must be a whole number of seconds ≥ 5, got "${flags.leaseSeconds}"`);
  const mode = describeMode(spec, port.local);
  const session = openClusterSession(flags, reporter, { action: `ffk intercept ${deploymentName}`, workload: `deployment/${deploymentName}`, mode, changes: true });
  const { target } = session;
  reporter.data({ event: 'target', context: target.context, server: target.server, namespace: target.namespace, workload: `deployment/${deploymentName}`, mode: spec.mode });
  const stopDriftWatch = session.pin.watch((drifts) => drifts.forEach((d) => reporter.warn(describeDrift(d, target.context))));
  const cleanups: (() => Promise<unknown> | unknown)[] = [stopDriftWatch];
  const cleanup = async () => {
    for (const step of cleanups.reverse()) await step();
  };
  // Ctrl-C or `ffk leave` may come at any moment, during setup too: each ends the intercept cleanly.
  let interrupted: string | undefined;
  let onInterrupt = (_why: string) => undefined as void;
  const onSignal = (signal: NodeJS.Signals) => {
    interrupted = signal === 'SIGINT' ? 'Ctrl-C' : signal;
    onInterrupt(interrupted);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  cleanups.push(() => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  });
  const checkpoint = () => {
    if (interrupted) throw new Interrupted(interrupted);
  };

  try {
    const deployment = await readDeployment(session, deploymentName);
    checkpoint();
    const gitops = gitOpsManager(deployment);
    if (gitops) reporter.warn(`deployment ${deploymentName} looks managed by ${gitops}: a sync may remove the agent and end the intercept; pause auto-sync while you work`);

    const installStarted = performance.now();
    const agent = await ensureAgent(session, deploymentName, {
      port: port.remote,
      image: flags.agentImage,
      leaseSeconds,
      onProgress: (message) => reporter.step(message),
    });
    checkpoint();
    if (!agent.installedNow) await renewLease(session, deploymentName, leaseFor(leaseSeconds));
    const agentMs = performance.now() - installStarted;
    reporter.done(agent.installedNow ? `agent installed in deployment ${deploymentName} (${agent.record.image})` : `agent already in deployment ${deploymentName} (${agent.record.image})`, agentMs);
    reporter.data({ event: 'agent', installedNow: agent.installedNow, image: agent.record.image, ms: Math.round(agentMs) });
    const lease = keepLease(session, deploymentName, { seconds: leaseSeconds, onError: (e) => reporter.warn(`could not renew the lease: ${(e as Error).message}`) });
    cleanups.push(() => lease.stop());

    const selector = deployment.spec?.selector?.matchLabels ?? {};
    const agentPort = agent.record.ports[0];
    reporter.step(`opening tunnels (port-forward to ${agent.record.tunnelPort}) to the Ready pods of ${selectorString(selector)} and registering the intercept`);
    const tunnelsStarted = performance.now();
    const tunnels = new PodTunnels({ access: session, selector, tunnelPort: agent.record.tunnelPort, token: agent.token, intercept: spec, localPort: port.local, owner: defaultHolder() });
    cleanups.push(() => tunnels.stop());
    let pods: string[];
    try {
      pods = await tunnels.start(Number(flags.tunnelTimeout ?? 20_000));
    } catch (error) {
      throw interceptError(error, deploymentName, agent.record.tunnelPort);
    }
    checkpoint();
    const activeMs = performance.now() - started;
    reporter.done(`intercepting ${deploymentName} port ${agentPort.name} (${agentPort.app}) on ${pods.join(', ')}: ${mode}`, performance.now() - tunnelsStarted);
    reporter.data({ event: 'active', pods, port: agentPort.name, localPort: port.local, ms: Math.round(activeMs) });

    let environment: LocalEnvironment | undefined;
    if (flags.envFile || command.length > 0) {
      reporter.step(`importing the environment of container ${agent.record.container}`);
      environment = await prepareEnvironment({
        access: session,
        deployment,
        container: agent.record.container,
        selector,
        tunnelPort: agent.record.tunnelPort,
        token: agent.token,
        containerPort: agentPort.app,
        localPort: port.local,
      });
      cleanups.push(() => environment!.close());
      checkpoint();
      for (const o of environment.outbound) reporter.text(`  ${o.target} → ${o.local}`);
      const rewritten = environment.rewritten.map((r) => r.name);
      reporter.done(`environment: ${Object.keys(environment.env).length} variables${rewritten.length ? `; pointed at local tunnels: ${rewritten.join(', ')}` : ''}${environment.skipped.length ? `; left out: ${environment.skipped.map((s) => `${s.name} (${s.reason})`).join(', ')}` : ''}`);
      if (flags.envFile) {
        const file = resolve(flags.envFile);
        writeFileSync(file, formatEnvFile(environment.env, `environment of deployment/${deploymentName} (container ${agent.record.container}), imported by ffk intercept; cluster hosts point at its tunnels while it runs`), { mode: 0o600 });
        reporter.done(`wrote ${file}`);
      }
      reporter.data({ event: 'env', variables: Object.keys(environment.env), rewritten, outbound: environment.outbound, skipped: environment.skipped, envFile: flags.envFile ? resolve(flags.envFile) : undefined });
    }

    const local: LocalIntercept = {
      pid: process.pid, context: target.context, server: target.server, namespace: target.namespace, deployment: deploymentName,
      mode: spec.mode === 'global' ? 'global' : `personal ${spec.header ?? 'x-ffk-user'}=${spec.value}`,
      localPort: port.local, startedAt: new Date().toISOString(), pods, routed: 0, failed: 0, reconnects: 0, state: 'active', updatedAt: new Date().toISOString(),
    };
    const saveState = () => writeLocalIntercept({ ...local, ...tunnels.stats, pods: [...tunnels.connectors.keys()], updatedAt: new Date().toISOString() });
    saveState();
    const saver = setInterval(saveState, 2000);
    cleanups.push(() => {
      clearInterval(saver);
      removeLocalIntercept(local);
    });

    let child: LocalCommand | undefined;
    if (command.length > 0) {
      reporter.step(`running ${command.join(' ')}`);
      child = await runLocalCommand(command, environment!.env);
      cleanups.push(() => child!.stop());
    }
    const stopView = attachStatusView(tunnels, reporter, out, { deployment: deploymentName, target: `127.0.0.1:${port.local}`, tty: Boolean(process.stdout.isTTY) });
    cleanups.push(stopView);

    // The foreground: until Ctrl-C, `ffk leave` (SIGTERM/SIGINT) or the command's exit.
    const ended = await new Promise<{ why: string; code: number }>((resolveEnd) => {
      onInterrupt = (why) => resolveEnd({ why, code: 0 });
      if (interrupted) onInterrupt(interrupted);
      void child?.exited.then((code) => resolveEnd({ why: `${command[0]} exited with code ${code}`, code }));
    });
    const stats = tunnels.stats;
    await cleanup();
    reporter.done(`left the intercept of ${deploymentName} (${ended.why}): the cluster's pods answer again; ${stats.routed} requests were routed to your machine`);
    reporter.data({ event: 'left', reason: ended.why, exitCode: ended.code, ...stats });
    return ended.code;
  } catch (error) {
    await cleanup();
    if (!(error instanceof Interrupted)) throw error;
    reporter.done(`stopped before the intercept started (${error.message}); nothing routes to your machine`);
    reporter.data({ event: 'left', reason: error.message, exitCode: 0 });
    return 0;
  }
}

class Interrupted extends Error {}

function interceptError(error: unknown, deployment: string, tunnelPort: number): Error {
  if (error instanceof ConnectorRefusedError) {
    if (error.code === 'conflict') {
      return new UsageError(`another developer holds a global intercept on ${deployment} (${error.message}): intercept only your own requests with --user <your name>, or ask them to run \`ffk leave ${deployment}\``, 1, { code: 'conflict' });
    }
    if (error.code === 'token') {
      return new UsageError(`the agent in ${deployment} refused the token (Secret ffk-agent-${deployment} changed since the pods started): run \`ffk uninstall ${deployment}\` and intercept again`, 1, { code: 'token' });
    }
    return new UsageError(`the agent in ${deployment} refused: ${error.message}`, 1, { code: error.code });
  }
  if (error instanceof TunnelUnreachableError) {
    return new UsageError(`cannot reach the agent's tunnel (port ${tunnelPort}) of ${deployment}: ${error.message}; check the pods with \`kubectl get pods\` and that you may create pods/portforward`, 1, { code: 'tunnel-unreachable' });
  }
  return error as Error;
}
