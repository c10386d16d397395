// One service under `tsx watch`: restarted by tsx on every save, its output turned into
// prefixed lines, and stopped together with everything it started.
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createRequire } from 'node:module';
import { createInterface } from 'node:readline';
import { spawnWithLifeline, withLifelinePreload } from '@ffk/process-kit';

const tsxCli = createRequire(import.meta.url).resolve('tsx/cli');
const STOP_GRACE_MS = 5_000;

export interface ServiceSpec {
  name: string;
  /** The service's package folder (apps/<name>); tsx watches from there. */
  cwd: string;
  entry: string;
  env: Record<string, string>;
}

export interface ServiceProcess {
  name: string;
  pid: number;
  /** Resolves with how the process ended ("exited with code 1"). */
  exited: Promise<string>;
  stop(): Promise<void>;
}

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitUntil(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return true;
}

export function startService(spec: ServiceSpec, writeLine: (line: string) => void): ServiceProcess {
  // Its own process group: Ctrl-C reaches only the dev runner, which then stops the services
  // in order, and a stop can take down tsx and the app it spawned together. No exit hook runs
  // when the runner is SIGKILLed: then tsx watch sees its lifeline close and ends the group.
  const child: ChildProcess = spawnWithLifeline(process.execPath, [tsxCli, 'watch', '--clear-screen=false', spec.entry], {
    cwd: spec.cwd,
    env: withLifelinePreload(spec.env),
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    onLost: 'watches',
  });
  const { pid, stdout, stderr } = child;
  if (pid === undefined || !stdout || !stderr) throw new Error(`could not start ${spec.entry} under tsx watch`);
  for (const stream of [stdout, stderr]) createInterface({ input: stream, crlfDelay: Infinity }).on('line', writeLine);

  const exited = once(child, 'exit').then(([code, signal]) => (signal ? `was killed by ${signal}` : `exited with code ${code}`));
  // Killing the whole group also ends the app when tsx itself is gone.
  const killGroup = () => {
    if (groupAlive(pid)) process.kill(-pid, 'SIGKILL');
  };
  process.once('exit', killGroup);

  return {
    name: spec.name,
    pid,
    exited,
    async stop() {
      // tsx relays SIGTERM to the app and waits for its graceful shutdown.
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      if (!(await waitUntil(() => !groupAlive(pid), STOP_GRACE_MS))) killGroup();
      await waitUntil(() => !groupAlive(pid), 1_000);
      process.removeListener('exit', killGroup);
    },
  };
}
