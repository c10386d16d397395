import type { Duplex } from 'node:stream';

/** Longest control message accepted; anything longer is a broken or hostile peer. */
const MAX_LINE = 64 * 1024;

/**
 * Newline-delimited JSON over one stream. A line that is too long, not JSON or not an object
 * with a string `type` calls onInvalid once and stops delivering: the caller closes the tunnel.
 */
export function readMessages<T extends { type: string }>(stream: Duplex, onMessage: (message: T) => void, onInvalid: (reason: string) => void): void {
  let pending = '';
  let broken = false;
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    if (broken) return;
    pending += chunk;
    let newline: number;
    while (!broken && (newline = pending.indexOf('\n')) >= 0) {
      const line = pending.slice(0, newline);
      pending = pending.slice(newline + 1);
      const message = parse(line);
      if (message) onMessage(message as T);
      else fail(`malformed control message (${line.length} bytes)`);
    }
    if (pending.length > MAX_LINE) fail(`control message longer than ${MAX_LINE} bytes`);
  });

  function fail(reason: string) {
    broken = true;
    pending = '';
    onInvalid(reason);
  }
}

function parse(line: string): { type: string } | undefined {
  try {
    const value: unknown = JSON.parse(line);
    if (value && typeof value === 'object' && typeof (value as { type?: unknown }).type === 'string') {
      return value as { type: string };
    }
  } catch {
    // not JSON: reported by the caller as malformed
  }
  return undefined;
}

export function writeMessage(stream: Duplex, message: { type: string }): void {
  if (!stream.writable) return;
  stream.write(`${JSON.stringify(message)}\n`);
}
