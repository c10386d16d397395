// The reaper process (see reaper.ts): waits for its stdin to close, then removes the
// simulator's containers.
import { DockerEngine } from './docker-engine';
import { REAPER_SIM_ENV, REAPER_SOCKET_ENV, removeContainers } from './reaper';
import { SIM_LABEL } from './labels';

const engine = new DockerEngine(process.env[REAPER_SOCKET_ENV] ?? '/var/run/docker.sock');
const simId = process.env[REAPER_SIM_ENV] ?? '';

let reaping = false;
async function reap(): Promise<void> {
  if (reaping) return;
  reaping = true;
  await removeContainers(engine, `${SIM_LABEL}=${simId}`).catch(() => {});
  process.exit(0);
}

process.on('SIGTERM', () => {}); // only the lifeline ends the reaper
process.on('SIGINT', () => {});
process.on('SIGHUP', () => {});
process.stdin.on('data', () => {});
process.stdin.on('end', () => void reap());
process.stdin.on('close', () => void reap());
process.stdin.on('error', () => void reap());
