// One container instance's log, kept as the kubelet keeps it: timestamped lines per stream, with
// a size cap (the kubelet rotates at 10 MiB), and a live feed for `kubectl logs -f`.
import { EventEmitter } from 'node:events';

export interface LogLine {
  /** Milliseconds since the epoch. */
  time: number;
  stream: 'stdout' | 'stderr';
  text: string;
}

const MAX_BYTES = 10 * 1024 * 1024;

export class ContainerLog extends EventEmitter<{ line: [LogLine]; end: [] }> {
  private readonly lines: LogLine[] = [];
  private bytes = 0;
  private readonly partial = { stdout: '', stderr: '' };
  ended = false;

  write(stream: LogLine['stream'], chunk: Buffer | string): void {
    const text = this.partial[stream] + chunk.toString();
    const parts = text.split('\n');
    this.partial[stream] = parts.pop() ?? '';
    for (const part of parts) this.push({ time: Date.now(), stream, text: part });
  }

  /** The process is gone: flush unterminated lines and tell followers. */
  end(): void {
    if (this.ended) return;
    for (const stream of ['stdout', 'stderr'] as const) {
      if (this.partial[stream]) this.push({ time: Date.now(), stream, text: this.partial[stream] });
      this.partial[stream] = '';
    }
    this.ended = true;
    this.emit('end');
  }

  snapshot(): readonly LogLine[] {
    return this.lines;
  }

  private push(line: LogLine): void {
    this.lines.push(line);
    this.bytes += line.text.length + 1;
    while (this.bytes > MAX_BYTES && this.lines.length > 1) this.bytes -= (this.lines.shift()?.text.length ?? 0) + 1;
    this.emit('line', line);
  }
}

/** RFC 3339 with nanoseconds, as the kubelet stamps log lines (`timestamps=true`). */
export function logTimestamp(time: number): string {
  return new Date(time).toISOString().replace(/\.(\d{3})Z$/, '.$1000000Z');
}
