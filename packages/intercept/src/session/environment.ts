// The environment the local process runs with: the app container's env from the cluster, with
// Service host names pointed at 127.0.0.1 listeners that the connector tunnels into the
// cluster (so DATABASE_URL reaches the cluster's PostgreSQL with no manual port-forward).
import { type ClusterAccess, isClusterError, reconnectingPortForward } from '@ffk/cluster';
import type { V1Deployment } from '@kubernetes/client-node';
import { Connector } from '../connector/connector';
import { dialHost, distinctTargets, findClusterHosts, rewriteHosts, type ServiceTarget, targetKey } from '../control/env/cluster-hosts';
import { importContainerEnv } from '../control/env/container-env';
import { readService } from '../control/services';

export interface LocalEnvironment {
  env: Record<string, string>;
  skipped: { name: string; reason: string }[];
  /** cluster service -> local listener */
  outbound: { target: string; local: string }[];
  /** variables changed for the local machine, with why */
  rewritten: { name: string; from: string; to: string }[];
  close(): Promise<void>;
}

export interface EnvironmentOptions {
  access: ClusterAccess;
  deployment: V1Deployment;
  container: string;
  selector: Record<string, string>;
  tunnelPort: number;
  token: string;
  /** the app's port in the pod, and where the local process must listen instead */
  containerPort: number;
  localPort: number;
}

export async function prepareEnvironment(options: EnvironmentOptions): Promise<LocalEnvironment> {
  const { access } = options;
  const imported = await importContainerEnv(access, options.deployment, options.container);
  const uses = await findClusterHosts(imported.env, access.target.namespace, async (service, namespace) => {
    try {
      const found = await readService({ kc: access.kc, target: { ...access.target, namespace } }, service);
      return found.spec?.ports?.map((p) => p.port);
    } catch (error) {
      if (isClusterError(error, 'not-found') || isClusterError(error, 'forbidden')) return undefined;
      throw error;
    }
  });
  const targets = distinctTargets(uses);
  let connector: Connector | undefined;
  const local = new Map<string, number>();
  if (targets.length > 0) {
    // Outbound only (no intercept): follows the newest Ready pod across rollouts by itself.
    const open = reconnectingPortForward(access.kc, {
      namespace: access.target.namespace,
      selector: options.selector,
      port: options.tunnelPort,
      giveUpAfterMs: 0,
    });
    connector = new Connector({
      openStream: open,
      token: options.token,
    });
    await connector.start();
    for (const target of targets) {
      const exposed = await connector.expose({ host: dialHost(target), port: target.port });
      local.set(targetKey(target), exposed.localPort);
    }
  }
  const env = rewriteHosts(imported.env, uses, (t: ServiceTarget) => {
    const port = local.get(targetKey(t));
    if (port === undefined) throw new Error(`no local listener for ${targetKey(t)}, though every cluster host found in the env was exposed`);
    return port;
  });
  // The app listens on PORT in the pod; locally it must listen where the connector delivers.
  for (const [name, value] of Object.entries(env)) {
    if (/(^|_)PORT$/.test(name) && value === String(options.containerPort) && options.localPort !== options.containerPort)
      env[name] = String(options.localPort);
  }
  const rewritten = Object.keys(env)
    .filter((name) => env[name] !== imported.env[name])
    .map((name) => ({ name, from: imported.env[name], to: env[name] }));
  return {
    env,
    skipped: imported.skipped,
    outbound: targets.map((t) => ({ target: `${t.service}.${t.namespace}:${t.port}`, local: `127.0.0.1:${local.get(targetKey(t))}` })),
    rewritten,
    close: async () => connector?.stop(),
  };
}
