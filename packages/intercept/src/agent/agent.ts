import net from 'node:net';
import pino, { type Logger } from 'pino';
import { type AgentInfo, type InterceptInfo, PROTOCOL_VERSION } from '../tunnel/protocol';
import { closable, listen } from '../util/servers';
import type { AgentConfig } from './config';
import { listenHealth } from './health';
import { InterceptRegistry } from './intercepts';
import { listenServicePort } from './service-port';
import { Tunnel } from './tunnel';

export interface RunningAgent {
  /** the ports actually bound (listen 0 in the config becomes a real port) */
  ports: { name: string; listen: number; app: number }[];
  tunnelPort: number;
  healthPort: number;
  intercepts(): InterceptInfo[];
  /** stops listening, closes every tunnel and connection */
  close(): Promise<void>;
}

/** Starts the agent's listeners: service ports, tunnel port and health port. */
export async function startAgent(config: AgentConfig, logger: Logger = pino({ level: 'silent' })): Promise<RunningAgent> {
  const registry = new InterceptRegistry<Tunnel>(config.ports);
  const tunnels = new Set<Tunnel>();
  const info: AgentInfo = { pod: config.podName, version: PROTOCOL_VERSION, ports: config.ports.map(({ name, app, protocol }) => ({ name, app, protocol })) };

  const broadcast = () => {
    const intercepts = registry.list();
    for (const tunnel of tunnels) if (tunnel.isOpen) tunnel.send({ type: 'intercepts', intercepts });
  };

  const tunnelServer = net.createServer({ noDelay: true }, (socket) => {
    const tunnel = new Tunnel(socket, {
      token: config.token,
      heartbeatMs: config.heartbeatMs,
      missedHeartbeats: config.missedHeartbeats,
      logger,
      onHello(tunnel, hello) {
        let intercept: InterceptInfo | undefined;
        if (hello.intercept) {
          const registered = registry.register(tunnel, hello.owner, hello.intercept);
          if (!registered.ok) {
            logger.info({ owner: hello.owner, reason: registered.message }, 'intercept refused');
            return { code: 'conflict', message: registered.message };
          }
          registered.replaced?.close('replaced by a newer tunnel of the same connector');
          intercept = registered.interception.info;
          logger.info({ ...intercept }, 'intercept started');
        }
        tunnel.send({ type: 'welcome', agent: info, heartbeatMs: config.heartbeatMs, intercept, intercepts: registry.list() });
        if (intercept) broadcast();
        return undefined;
      },
    });
    tunnels.add(tunnel);
    logger.debug({ remote: tunnel.remote }, 'tunnel opened');
    tunnel.once('close', (reason: string) => {
      tunnels.delete(tunnel);
      const stopped = registry.remove(tunnel);
      for (const intercept of stopped) logger.info({ ...intercept, reason }, 'intercept stopped');
      if (stopped.length) broadcast();
      logger.debug({ remote: tunnel.remote, owner: tunnel.owner, reason }, 'tunnel closed');
    });
  });

  const servicePorts = await Promise.all(
    config.ports.map((port) =>
      listenServicePort({
        port,
        bindHost: config.bindHost,
        appHost: config.appHost,
        probePaths: config.probePaths,
        timeouts: config.timeouts,
        mirrorLimits: config.mirrorLimits,
        registry,
        logger,
      }),
    ),
  );
  const closeTunnelServer = closable(tunnelServer);
  const tunnelPort = await listen(tunnelServer, config.tunnelPort, config.tunnelHost);
  const health = await listenHealth(config.bindHost, config.healthPort, () => ({ intercepts: registry.list().length, tunnels: tunnels.size }));

  return {
    ports: config.ports.map((port, i) => ({ name: port.name, listen: servicePorts[i].port, app: port.app })),
    tunnelPort,
    healthPort: health.port,
    intercepts: () => registry.list(),
    async close() {
      for (const tunnel of tunnels) tunnel.close('agent stopping');
      await Promise.all([...servicePorts.map((s) => s.close()), closeTunnelServer(), health.close()]);
    },
  };
}
