// A load generator in its own process (for the benchmark), so that it neither shares an event
// loop with the benchmark's bookkeeping nor gets cheaper or dearer with the path it measures.
// Stays up between rounds (warm JIT): each IPC message is one measurement, answered with its sample.
import { measureDownload, measureRequests } from './load';
import { measureTeam, type TeamRoute } from './team-load';

export type LoadCommand =
  | { kind: 'requests'; port: number; path: string; concurrency: number; durationMs: number }
  | { kind: 'download'; port: number; mb: number }
  | { kind: 'team'; routes: TeamRoute[]; requests: number; clients: number };

const send = process.send?.bind(process);
if (!send) throw new Error('load-process runs as a child with an IPC channel (fork), not on its own');

process.on('message', (command: LoadCommand) => {
  const measured =
    command.kind === 'requests'
      ? measureRequests(command.port, command.path, command.concurrency, command.durationMs)
      : command.kind === 'team'
        ? measureTeam(command.routes, command.requests, command.clients)
        : measureDownload(command.port, command.mb);
  measured.then(
    (result) => send({ result }),
    (error: Error) => send({ error: error.message }),
  );
});
send({ ready: true });
