// The official Node image (`node:<tag>`, mapped with `builtin: node`) in process mode: the
// container's own command line, `node …` running on this machine's Node with the pod network
// preloads, and every argument under a volume's mountPath pointed at that volume's files.
import type { Container } from './kube-types';
import { hostPath } from './process-volumes';

const NODE_BINARIES = new Set(['node', '/usr/local/bin/node']);

export interface NodeImageCommand {
  /** true: run `node` (this machine's) with `args`; false: `command` itself (it will not be found: a StartError, as in the image) */
  node: boolean;
  command: string;
  args: string[];
}

/** The command line of a container on the Node image; `args` are the container's, already expanded. */
export function nodeImageCommand(container: Container, args: string[], mounts: Map<string, string>): NodeImageCommand {
  // Without a command the image runs its CMD, `node`, with the container's args.
  const [command, ...rest] = [...(container.command ?? ['node']), ...args].map((arg) => hostPath(arg, mounts));
  return { node: NODE_BINARIES.has(command), command: command, args: rest };
}

/** The working directory inside the container, on this machine (a volume's directory, or the fallback). */
export function nodeImageWorkingDir(container: Container, mounts: Map<string, string>, fallback: string): string {
  const dir = container.workingDir ? hostPath(container.workingDir, mounts) : undefined;
  return dir && dir !== container.workingDir ? dir : fallback;
}
