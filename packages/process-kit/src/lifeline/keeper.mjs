// Holds the lifeline for a program that cannot watch one itself (PostgreSQL's server, any
// non-Node binary): runs it with the same stdio, relays stop signals, and stops it once the
// lifeline closes. Started by spawnWithLifeline() as `node keeper.mjs '<json spec>'`, with the
// lifeline's fd in the spec rather than in FFK_LIFELINE_FD: the program is not ours to tie, and a
// lifeline preload in NODE_OPTIONS must not end the keeper before it has stopped the program.
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { watchFd } from './watch.mjs';

const { command, args, uid, gid, stopSignal, fd } = JSON.parse(process.argv[2]);
const program = spawn(command, args, { stdio: 'inherit', uid, gid });
for (const signal of ['SIGTERM', 'SIGINT', 'SIGQUIT', 'SIGHUP']) process.on(signal, () => program.kill(signal));
program.on('error', (error) => {
  process.stderr.write(`could not start ${command}: ${error.message}\n`);
  process.exit(127);
});
program.on('exit', (code, signal) => process.exit(code ?? 128 + (constants.signals[signal] ?? 1)));
// The stop signal first (PostgreSQL cleans up its shared memory on SIGQUIT), SIGKILL if that hangs.
watchFd(fd, () => {
  program.kill(stopSignal);
  setTimeout(() => program.kill('SIGKILL'), 5_000).unref();
});
