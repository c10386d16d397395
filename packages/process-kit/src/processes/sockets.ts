import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

/** A TCP socket in the LISTEN state. */
export interface ListeningSocket {
  /** The kernel's address:port, hexadecimal as /proc shows it, e.g. 0100007F:1F90. */
  local: string;
  port: number;
}

/** Every listening TCP socket on this machine by inode, from /proc (Linux); undefined without /proc. */
export function listeningSockets(): Map<string, ListeningSocket> | undefined {
  const tables = ['/proc/net/tcp', '/proc/net/tcp6'].flatMap((table) => {
    try {
      return [readFileSync(table, 'utf8')];
    } catch {
      return [];
    }
  });
  if (tables.length === 0) return undefined;
  const sockets = new Map<string, ListeningSocket>();
  for (const row of tables.flatMap((table) => table.split('\n').slice(1))) {
    const fields = row.trim().split(/\s+/);
    if (fields[3] === '0A') sockets.set(fields[9]!, { local: fields[1]!, port: Number.parseInt(fields[1]!.split(':')[1]!, 16) }); // 0A: LISTEN
  }
  return sockets;
}

/** Inodes of the sockets `pid` has open (any kind); empty when it is gone or not ours to see. */
export function socketInodesOf(pid: number): string[] {
  let fds: string[];
  try {
    fds = readdirSync(`/proc/${pid}/fd`);
  } catch {
    return [];
  }
  return fds.flatMap((fd) => {
    try {
      const inode = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`))?.[1];
      return inode ? [inode] : [];
    } catch {
      return []; // closed while we looked
    }
  });
}
