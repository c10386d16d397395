// The agent container's entry point: config from env, one line and exit 1 when it is wrong.
import { createLogger } from '@ffk/service-kit/logger';
import { startAgent } from './agent';
import { type AgentConfig, AgentConfigError, parseAgentEnv } from './config';

let config: AgentConfig;
try {
  config = parseAgentEnv(process.env);
} catch (error) {
  if (!(error instanceof AgentConfigError)) throw error;
  process.stderr.write(`ffk-agent: bad configuration: ${error.message}\n`);
  process.exit(1);
}

// The services' log shape (ISO time, name), so one query reads an intercepted pod's two containers.
const logger = createLogger({ name: 'ffk-agent', level: config.logLevel, fields: { pod: config.podName } });
try {
  const agent = await startAgent(config, logger);
  logger.info({ ports: agent.ports, tunnel: `${config.tunnelHost}:${agent.tunnelPort}`, health: agent.healthPort }, 'agent ready');
  const stop = (signal: string) => {
    logger.info({ signal }, 'agent stopping');
    const force = setTimeout(() => process.exit(0), 5000);
    force.unref();
    void agent.close().then(() => process.exit(0));
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
} catch (error) {
  process.stderr.write(`ffk-agent: cannot start: ${(error as Error).message}\n`);
  process.exit(1);
}
