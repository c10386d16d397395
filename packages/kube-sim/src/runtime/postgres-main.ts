// Entry point of a `postgres:*` container (see images.ts). Behaves like the official image's
// entrypoint: initialise a fresh cluster from the environment, then run the server in the
// foreground on the pod's address. Also the container's wrapper: it relays stop signals and
// takes the server down when the simulator's lifeline closes.
import { spawn, spawnSync } from 'node:child_process';
import { appendFileSync, chownSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { endProcessGroup, unprivilegedAccount, watchLifeline } from '@ffk/process-kit';
import { POD_IP_ENV } from '../network/preload';
import { findPostgresBin, NO_POSTGRES } from './postgres';

function fail(line: string): never {
  process.stderr.write(`${line}\n`);
  process.exit(1);
}

const env = process.env;
const bin = findPostgresBin() ?? fail(`kube-sim: ${NO_POSTGRES}`);
const user = env.POSTGRES_USER || 'postgres';
const database = env.POSTGRES_DB || user;
const trust = env.POSTGRES_HOST_AUTH_METHOD === 'trust';
if (!env.POSTGRES_PASSWORD && !trust) {
  fail('Error: Database is uninitialized and superuser password is not specified. You must specify POSTGRES_PASSWORD to a non-empty value for the superuser.');
}
const listen = env[POD_IP_ENV] ?? '127.0.0.1';
const port = env.PGPORT || '5432';
const account = unprivilegedAccount();

const dataDir = mkdtempSync(join(tmpdir(), 'kube-sim-postgres-'));
// Retries: the server may still be writing its last files.
const cleanUp = () => rmSync(dataDir, { recursive: true, force: true, maxRetries: 5, retryDelay: 50 });
const pwFile = join(dataDir, 'pwfile');
const pgData = join(dataDir, 'data');
writeFileSync(pwFile, env.POSTGRES_PASSWORD ?? '');
if (account) {
  chownSync(dataDir, account.uid, account.gid);
  chownSync(pwFile, account.uid, account.gid);
}
const asPostgres = { ...account, env: { ...env, LC_ALL: 'C.UTF-8' } };

const init = spawnSync(
  join(bin, 'initdb'),
  ['-D', pgData, '-U', user, `--pwfile=${pwFile}`, '-E', 'UTF8', '--auth-local=trust', `--auth-host=${trust ? 'trust' : 'scram-sha-256'}`, '--no-sync'],
  { ...asPostgres, stdio: ['ignore', 'inherit', 'inherit'] },
);
rmSync(pwFile, { force: true });
if (init.status !== 0) {
  cleanUp();
  fail(`initdb failed (exit ${init.status ?? init.signal})`);
}
// As the official image does: accept password logins from any address.
appendFileSync(join(pgData, 'pg_hba.conf'), `\nhost all all all ${trust ? 'trust' : 'scram-sha-256'}\n`);

if (database !== 'postgres') {
  const sql = `CREATE DATABASE "${database.replace(/"/g, '""')}";\n`;
  const single = spawnSync(join(bin, 'postgres'), ['--single', '-j', '-D', pgData, 'postgres'], {
    ...asPostgres,
    input: sql,
    stdio: ['pipe', 'ignore', 'inherit'],
  });
  if (single.status !== 0) {
    cleanUp();
    fail(`could not create database ${database} (exit ${single.status ?? single.signal})`);
  }
}

const server = spawn(
  join(bin, 'postgres'),
  ['-D', pgData, '-c', `listen_addresses=${listen}`, '-p', port, '-c', `unix_socket_directories=${dataDir}`, '-c', 'fsync=off', ...process.argv.slice(2)],
  { ...asPostgres, stdio: ['ignore', 'inherit', 'inherit'] },
);
// Docker stops this image with SIGINT (its STOPSIGNAL): a fast shutdown that ends sessions.
process.on('SIGTERM', () => server.kill('SIGINT'));
process.on('SIGINT', () => server.kill('SIGINT'));
process.on('SIGQUIT', () => server.kill('SIGQUIT'));
// The simulator is gone: immediate shutdown (the data dir is removed on exit); should that hang, end it all.
watchLifeline(() => {
  server.kill('SIGQUIT');
  setTimeout(endProcessGroup, 5000).unref();
});
server.on('exit', (code, signal) => {
  cleanUp();
  process.exit(code ?? (signal === 'SIGINT' || signal === 'SIGTERM' ? 0 : 1));
});
