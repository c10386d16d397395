// Holds the lifeline for a program that cannot watch one itself (PostgreSQL's server, any
// non-Node binary): runs it with the same stdio, relays stop signals, and stops it once the
// lifeline closes. Started by spawnWithLifeline() as `node keeper.mjs '<json spec>'`.
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { watchLifeline } from './watch.mjs';

const { command, args, uid, gid, stopSignal } = JSON.parse(process.argv[2]);
const program = spawn(command, args, { stdio: 'inherit', uid, gid });
for (const signal of ['SIGTERM', 'SIGINT', 'SIGQUIT', 'SIGHUP']) process.on(signal, () => program.kill(signal));
program.on('error', (error) => {
  process.stderr.write(`could not start ${command}: ${error.message}\n`);
  process.exit(127);
});
program.on('exit', (code, signal) => process.exit(code ?? 128 + (constants.signals[signal] ?? 1)));
// The stop signal first (PostgreSQL cleans up its shared memory on SIGQUIT), SIGKILL if that hangs.
watchLifeline(() => {
  program.kill(stopSignal);
  setTimeout(() => program.kill('SIGKILL'), 5_000).unref();
});
