// The reaper process (see reaper.ts): once its lifeline closes, it removes the simulator's
// containers and exits.
import { watchLifeline } from '@ffk/process-kit';
import { DockerEngine } from './docker-engine';
import { SIM_LABEL } from './labels';
import { REAPER_SIM_ENV, REAPER_SOCKET_ENV, removeContainers } from './reaper';

const engine = new DockerEngine(process.env[REAPER_SOCKET_ENV] ?? '/var/run/docker.sock');
const simId = process.env[REAPER_SIM_ENV] ?? '';

for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) process.on(signal, () => {}); // only the lifeline ends it
const idle = setInterval(() => {}, 2 ** 30); // the lifeline does not keep a process alive by itself
const watching = watchLifeline(() => {
  void removeContainers(engine, `${SIM_LABEL}=${simId}`)
    .catch(() => 0)
    .finally(() => {
      clearInterval(idle);
      process.exit(0);
    });
});
if (!watching) process.exit(2); // started by hand, without a simulator to outlive
