// `ffk sim start [--detach] | status | stop`: the Kubernetes API simulator as a local process.
import { spawn } from 'node:child_process';
import { mkdirSync, openSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { SimUser } from '@ffk/kube-sim';
import { userKubeconfigPath } from '@ffk/kube-sim/kubeconfig';
import { passOnLifeline } from '@ffk/process-kit';
import { type Command, CommanderError } from 'commander';
import type { Print } from '../cli-kit/output';
import { thisProcess } from '../cli-kit/process-alive';
import { clearServer, recordServer, runningServer, type SimState, simState } from './state';

/** Ends the command with an exit code (main() turns a CommanderError into the process exit code). */
const exitWith = (code: number) => {
  throw new CommanderError(code, 'ffk.sim', '');
};
const exportLine = (state: SimState) => `export KUBECONFIG=${state.kubeconfig}`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** `--user dev` or `--user dev:team-a,team-b`: a user held to RBAC, with its groups; undefined when malformed. */
function parseUser(spec: string): SimUser | undefined {
  const [name, groups] = spec.split(':', 2) as [string, string | undefined];
  if (!/^[A-Za-z0-9._-]+$/.test(name)) return undefined;
  return { name, groups: groups ? groups.split(',').filter(Boolean) : [] };
}

const collect = (value: string, previous: string[]) => [...previous, value];
const userLine = (state: SimState, name: string) => `user ${name} (held to RBAC): export KUBECONFIG=${userKubeconfigPath(state.dir, name)}\n`;

async function runForeground(state: SimState, out: Print, users: SimUser[]): Promise<void> {
  const started = performance.now();
  // Loaded here, not at the top: every other ffk command would pay ~0.15 s for the simulator.
  const { startSim } = await import('@ffk/kube-sim');
  const sim = await startSim({ stateDir: state.dir, users });
  sim.users.forEach((user) => sim.kubeconfigFor(user.name));
  const userLines = sim.users.map((user) => userLine(state, user.name)).join('');
  recordServer(state, { ...thisProcess(), url: sim.url, kubeconfig: sim.kubeconfigPath });
  out(`kube-sim serving ${sim.url} (context ${sim.context}) in ${Math.round(performance.now() - started)} ms\n${exportLine(state)}\n${userLines}`);
  await new Promise<void>((resolve) => {
    const shutdown = () => resolve();
    process.once('SIGINT', shutdown);
    process.once('SIGTERM', shutdown);
  });
  await sim.stop();
  clearServer(state);
  out('kube-sim stopped\n');
}

/** Starts `ffk sim start` in the background and returns once it answers. */
async function runDetached(state: SimState, out: Print, err: Print, users: SimUser[]): Promise<number> {
  const started = performance.now();
  const log = openSync(state.logFile, 'a');
  const bin = fileURLToPath(new URL('../../bin/ffk.mjs', import.meta.url));
  const userArgs = users.flatMap((user) => ['--user', [user.name, ...(user.groups?.length ? [user.groups.join(',')] : [])].join(':')]);
  // Detached for good from a shell; started on a lifeline (under a test), it still ends with the test.
  const child = spawn(
    process.execPath,
    [bin, 'sim', 'start', ...userArgs],
    passOnLifeline({ detached: true, stdio: ['ignore', log, log], env: { ...process.env, FFK_SIM_DIR: state.dir } }),
  );
  child.unref();
  let exited = false;
  child.once('exit', () => (exited = true));
  while (performance.now() - started < 15_000 && !exited) {
    const server = runningServer(state);
    if (server && server.pid === child.pid) {
      const userLines = users.map((user) => userLine(state, user.name)).join('');
      out(`kube-sim serving ${server.url} (pid ${server.pid}, ready in ${Math.round(performance.now() - started)} ms)\n${exportLine(state)}\n${userLines}`);
      return 0;
    }
    await sleep(20);
  }
  err(`kube-sim did not start${exited ? '' : ' within 15 s'}; see ${state.logFile}\n`);
  if (!exited) child.kill('SIGTERM');
  return 1;
}

export function registerSimCommands(program: Command, out: Print, err: Print): void {
  const sim = program.command('sim').description('a local Kubernetes API simulator (for tests, CI and offline work)');
  sim
    .command('start')
    .description('start the simulator; writes .ffk/sim/kubeconfig (context ffk-sim)')
    .option('--detach', 'run in the background and return once it answers')
    .option('--user <name[:groups]>', 'add a user held to RBAC (repeatable); its kubeconfig is .ffk/sim/kubeconfig-<name>', collect, [])
    .action(async (options: { detach?: boolean; user: string[] }) => {
      const users: SimUser[] = [];
      for (const spec of options.user) {
        const user = parseUser(spec);
        if (!user) {
          err(`error: --user ${JSON.stringify(spec)} is not valid: write NAME or NAME:GROUP,GROUP (letters, digits, . _ -)\n`);
          return exitWith(2);
        }
        users.push(user);
      }
      const state = simState();
      mkdirSync(state.dir, { recursive: true });
      const running = runningServer(state);
      if (running) {
        out(`kube-sim is already running at ${running.url} (pid ${running.pid}); ${exportLine(state)}\n`);
        return;
      }
      if (options.detach) {
        const code = await runDetached(state, out, err, users);
        if (code !== 0) exitWith(code);
      } else await runForeground(state, out, users);
    });
  sim
    .command('status')
    .description('say whether the simulator runs, and where')
    .action(() => {
      const state = simState();
      const running = runningServer(state);
      if (running) out(`kube-sim is running at ${running.url} (pid ${running.pid}); ${exportLine(state)}\n`);
      else {
        out('kube-sim is not running (start it with `ffk sim start --detach`)\n');
        exitWith(3);
      }
    });
  sim
    .command('stop')
    .description('stop the simulator started with `ffk sim start --detach`')
    .action(async () => {
      const state = simState();
      const running = runningServer(state);
      if (!running) {
        clearServer(state);
        out('kube-sim is not running\n');
        return;
      }
      process.kill(running.pid, 'SIGTERM');
      for (let waited = 0; waited < 10_000 && runningServer(state); waited += 50) await sleep(50);
      if (runningServer(state)) {
        process.kill(running.pid, 'SIGKILL');
        clearServer(state);
      }
      out(`kube-sim stopped (pid ${running.pid})\n`);
    });
}
