// exec resolves the command as the container runtime does before it starts anything: a name
// without a slash is looked up on the container's PATH, a path relative to its working directory.
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';

const executable = (path: string) => {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
};

/** The file that runs, or the runtime's reason for not running it (`exec: "x": executable file not found in $PATH`). */
export function findExecutable(command: string, env: Record<string, string>, cwd: string | undefined): { path: string } | { error: string } {
  if (command.includes('/')) {
    const path = isAbsolute(command) ? command : join(cwd ?? process.cwd(), command);
    return executable(path) ? { path } : { error: `exec: "${command}": stat ${command}: no such file or directory` };
  }
  for (const dir of (env.PATH ?? '').split(delimiter).filter(Boolean)) {
    if (executable(join(dir, command))) return { path: join(dir, command) };
  }
  return { error: `exec: "${command}": executable file not found in $PATH` };
}
