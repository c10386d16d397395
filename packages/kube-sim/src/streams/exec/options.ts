// PodExecOptions and PodAttachOptions as kube-apiserver decodes them from the query (parameter
// codec: `command` repeated, Go booleans) and checks them before it connects to the kubelet
// (pkg/registry/core/pod/strategy.go: ExecLocation, AttachLocation).
import { QueryParameters } from '../../api/query-parameters';
import { badRequest } from '../../api/status';

export interface RemoteCommandOptions {
  container?: string;
  command: string[];
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
  tty: boolean;
}

export type RemoteCommandKind = 'exec' | 'attach';

export function parseRemoteCommandOptions(query: URLSearchParams, kind: RemoteCommandKind): RemoteCommandOptions {
  const q = new QueryParameters(query);
  const tty = q.boolean('tty') ?? false;
  const options: RemoteCommandOptions = {
    container: q.string('container'),
    command: kind === 'exec' ? q.strings('command') : [],
    stdin: q.boolean('stdin') ?? false,
    stdout: q.boolean('stdout') ?? true, // SetDefaults_PodExecOptions/PodAttachOptions: stdout and stderr on
    // With a terminal, stderr is merged into stdout (the kubelet drops the stream).
    stderr: !tty && (q.boolean('stderr') ?? true),
    tty,
  };
  if (!options.stdin && !options.stdout && !options.stderr) throw badRequest('you must specify at least 1 of stdin, stdout, stderr');
  if (kind === 'exec' && options.command.length === 0) throw badRequest('you must specify at least one command for the container');
  return options;
}
