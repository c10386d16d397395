import { readFileSync } from 'node:fs';

export interface Account {
  uid: number;
  gid: number;
}

/**
 * PostgreSQL refuses to run as root. As root, the account to run it as: `postgres` where a
 * system install created it, else `nobody` (present on every Debian, minbase included).
 * Undefined when not root: then it runs as we do.
 */
export function unprivilegedAccount(): Account | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const accounts = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .map((line) => line.split(':'));
  const entry = accounts.find((fields) => fields[0] === 'postgres') ?? accounts.find((fields) => fields[0] === 'nobody');
  if (!entry) throw new Error('PostgreSQL refuses to run as root and neither a `postgres` nor a `nobody` user exists to run it as: run the tests as a normal user, or create one (useradd --system postgres).');
  return { uid: Number(entry[2]), gid: Number(entry[3]) };
}
