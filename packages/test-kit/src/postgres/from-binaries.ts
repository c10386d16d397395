import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { chown, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '../ports';
import { once, type TestPostgres } from './types';

const run = promisify(execFile);
const DEBIAN_ROOT = '/usr/lib/postgresql';

/** The newest directory holding both initdb and pg_ctl: Debian's /usr/lib/postgresql/<version>/bin, then PATH. */
export function findPostgresBinaries(): string | undefined {
  const debian = existsSync(DEBIAN_ROOT)
    ? readdirSync(DEBIAN_ROOT)
        .filter((version) => /^\d+/.test(version))
        .sort((a, b) => Number.parseFloat(b) - Number.parseFloat(a))
        .map((version) => join(DEBIAN_ROOT, version, 'bin'))
    : [];
  const onPath = (process.env.PATH ?? '').split(delimiter).filter(Boolean);
  return [...debian, ...onPath].find((dir) => existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'pg_ctl')));
}

interface Account {
  uid: number;
  gid: number;
}

/** PostgreSQL refuses to run as root, so as root we run it as the `postgres` account. */
function accountToRunAs(): Account | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const entry = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .map((line) => line.split(':'))
    .find((fields) => fields[0] === 'postgres');
  if (!entry) {
    throw new Error(
      'PostgreSQL binaries refuse to run as root and there is no `postgres` user to run them as: ' +
        'create one (useradd --system postgres), run the tests as a normal user, or set DATABASE_URL.',
    );
  }
  return { uid: Number(entry[2]), gid: Number(entry[3]) };
}

async function runTool(binDir: string, tool: string, args: string[], cwd: string, account: Account | undefined) {
  try {
    await run(join(binDir, tool), args, { cwd, ...account, env: { ...process.env, LC_ALL: 'C' } });
  } catch (error) {
    const failed = error as { code?: number; stderr?: string; message: string };
    throw new Error(`${tool} failed (exit ${failed.code}): ${(failed.stderr || failed.message).trim().split('\n').slice(-3).join(' | ')}`);
  }
}

/**
 * A throwaway server in its own temp dir: initdb, then pg_ctl start on a free loopback port with
 * durability switched off (tests never need their data to survive a crash). About a second.
 */
export async function serverFromBinaries(binDir: string): Promise<TestPostgres> {
  const account = accountToRunAs();
  const root = await mkdtemp(join(tmpdir(), 'ffk-pg-'));
  if (account) await chown(root, account.uid, account.gid);
  const data = join(root, 'data');
  const log = join(root, 'server.log');
  const removeFiles = () => rm(root, { recursive: true, force: true });
  try {
    await runTool(binDir, 'initdb', ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C', '--no-sync'], root, account);
    // Another process may take the free port before the server binds it: try a fresh one then.
    for (let attempt = 1; ; attempt++) {
      const port = await freePort();
      const settings = [
        `-p ${port}`,
        `-k ${root}`,
        '-c listen_addresses=127.0.0.1',
        '-c fsync=off',
        '-c synchronous_commit=off',
        '-c full_page_writes=off',
        '-c shared_buffers=16MB',
        '-c max_connections=80',
      ].join(' ');
      try {
        await runTool(binDir, 'pg_ctl', ['start', '-w', '-t', '30', '-D', data, '-l', log, '-o', settings], root, account);
      } catch (error) {
        const serverLog = existsSync(log) ? readFileSync(log, 'utf8') : '';
        if (attempt < 3 && serverLog.includes('could not bind')) continue;
        throw new Error(`${(error as Error).message}; server log: ${serverLog.trim().split('\n').slice(-3).join(' | ')}`);
      }
      return {
        url: `postgres://postgres@127.0.0.1:${port}/postgres`,
        source: 'binaries',
        stop: once(async () => {
          await runTool(binDir, 'pg_ctl', ['stop', '-m', 'immediate', '-w', '-D', data], root, account).catch(() => {});
          await removeFiles();
        }),
      };
    }
  } catch (error) {
    await removeFiles();
    throw new Error(`could not start a throwaway PostgreSQL from ${binDir}: ${(error as Error).message}`);
  }
}
