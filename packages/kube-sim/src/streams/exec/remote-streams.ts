// What an exec or attach session sees of its client, whichever protocol carried it: the
// client's stdin as a Readable, stdout/stderr as Writables (with backpressure), terminal sizes,
// and the error stream that takes the final Status. websocket-streams.ts and spdy-streams.ts make them.
import type { EventEmitter } from 'node:events';
import { PassThrough, type Readable, type Writable } from 'node:stream';

export interface TerminalSize {
  width: number;
  height: number;
}

export interface ExitStatus {
  metadata: Record<string, never>;
  status: 'Success' | 'Failure';
  message?: string;
  reason?: string;
  details?: { causes: { reason: string; message: string }[] };
  code?: number;
}

/**
 * Events: 'resize' with every size the client's terminal takes (the first right after
 * connecting), 'hangup' when the client went away before the session finished.
 */
export interface RemoteStreams extends EventEmitter<{ resize: [TerminalSize]; hangup: [] }> {
  stdin?: Readable;
  stdout?: Writable;
  stderr?: Writable;
  /** Writes the Status on the error stream and ends the connection once stdout/stderr are flushed. */
  finish(status: ExitStatus): void;
}

/** The client's stdin: bytes in, backpressure out (`pause` is called while the command reads slowly). */
export function stdinFeed(pause: () => void, resume: () => void): { stream: PassThrough; push(data: Buffer): void } {
  const stream = new PassThrough();
  stream.on('drain', resume);
  return {
    stream,
    push(data) {
      if (stream.writableEnded) return;
      if (!stream.write(data)) pause();
    },
  };
}

/** Parses the JSON sizes a client writes (one object per message or per line) and reports each. */
export function resizeParser(listener: (size: TerminalSize) => void): (data: Buffer) => void {
  let pending = '';
  return (data) => {
    pending += data.toString();
    const parts = pending.split('\n');
    pending = parts.pop() ?? '';
    // A message without a newline (the WebSocket channel) is a whole object too.
    if (pending.trim().endsWith('}')) {
      parts.push(pending);
      pending = '';
    }
    for (const part of parts) {
      if (!part.trim()) continue;
      try {
        const { Width, Height } = JSON.parse(part) as { Width?: number; Height?: number };
        if (Number.isInteger(Width) && Number.isInteger(Height) && Width! > 0 && Height! > 0) listener({ width: Width!, height: Height! });
      } catch {
        // a garbled size changes nothing, as the kubelet's decoder stops reading sizes
      }
    }
  };
}
