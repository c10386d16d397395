import { execFile } from 'node:child_process';
import { chown, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { type Account, type PostgresBinaries, spawnWithLifeline, unprivilegedAccount } from '@ffk/process-kit';
import { defined } from '../defined';
import { freePort } from '../ports';
import { once, type TestPostgres } from './types';

const run = promisify(execFile);

async function initdb(binDir: string, data: string, cwd: string, account: Account | undefined) {
  const args = ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C', '--no-sync'];
  try {
    await run(join(binDir, 'initdb'), args, { cwd, ...account, env: { ...process.env, LC_ALL: 'C' } });
  } catch (error) {
    const failed = error as { code?: number; stderr?: string; message: string };
    throw new Error(`initdb failed (exit ${failed.code}): ${(failed.stderr || failed.message).trim().split('\n').slice(-3).join(' | ')}`, { cause: error });
  }
}

/**
 * The server in the foreground, as our child on a lifeline (it ends with this process, even on
 * SIGKILL); resolves once it accepts connections, rejects with its last log lines if it exits.
 */
function startServer(binDir: string, settings: string[], cwd: string, account: Account | undefined) {
  const server = spawnWithLifeline(join(binDir, 'postgres'), settings, { cwd, ...account, onLost: 'SIGQUIT', stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  const exited = new Promise<void>((resolve) => server.once('exit', () => resolve()));
  const ready = new Promise<void>((resolve, reject) => {
    defined(server.stderr, 'the stderr pipe of postgres')
      .setEncoding('utf8')
      .on('data', (chunk: string) => {
        log += chunk;
        if (log.includes('ready to accept connections')) resolve();
      });
    void exited.then(() => reject(new Error(log.trim().split('\n').slice(-3).join(' | ') || `postgres exited (${server.exitCode ?? server.signalCode})`)));
  });
  // Immediate shutdown: tests may leave connections open, and the data is thrown away anyway.
  const stop = async () => {
    if (server.exitCode === null && server.signalCode === null) server.kill('SIGQUIT');
    await exited;
  };
  return { ready, stop };
}

/**
 * A throwaway server in its own temp dir: initdb, then postgres on a free loopback port with
 * durability switched off (tests never need their data to survive a crash). About a second.
 */
export async function serverFromBinaries(binaries: PostgresBinaries): Promise<TestPostgres> {
  const account = unprivilegedAccount();
  const root = await mkdtemp(join(tmpdir(), 'ffk-pg-'));
  if (account) await chown(root, account.uid, account.gid);
  const data = join(root, 'data');
  const removeFiles = () => rm(root, { recursive: true, force: true });
  try {
    await initdb(binaries.bin, data, root, account);
    // Another process may take the free port before the server binds it: try a fresh one then.
    for (let attempt = 1; ; attempt++) {
      const port = await freePort();
      const settings = ['-D', data, '-p', String(port), '-k', root, '-c', 'listen_addresses=127.0.0.1'];
      for (const setting of ['fsync=off', 'synchronous_commit=off', 'full_page_writes=off', 'shared_buffers=16MB', 'max_connections=80'])
        settings.push('-c', setting);
      const server = startServer(binaries.bin, settings, root, account);
      try {
        await server.ready;
      } catch (error) {
        if (attempt < 3 && (error as Error).message.includes('could not bind')) continue;
        throw error;
      }
      return {
        url: `postgres://postgres@127.0.0.1:${port}/postgres`,
        source: 'binaries',
        stop: once(async () => {
          await server.stop();
          await removeFiles();
        }),
      };
    }
  } catch (error) {
    await removeFiles();
    throw new Error(`could not start a throwaway PostgreSQL from ${binaries.source}: ${(error as Error).message}`, { cause: error });
  }
}
