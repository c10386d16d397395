// Human output with progress steps by default; `--output json` prints only JSON on stdout
// (one object per result, or one per line for streams of events) for scripts.
export type Print = (text: string) => void;

export interface Reporter {
  readonly json: boolean;
  /** a step under way ("→ installing the agent…"); human mode only */
  step(message: string): void;
  /** a step that finished, with how long it took */
  done(message: string, ms?: number): void;
  /** something the user should know but that does not stop the command (stderr) */
  warn(message: string): void;
  /** plain human text (tables, banners); nothing in JSON mode */
  text(message: string): void;
  /** one JSON value (a line) in JSON mode; nothing in human mode */
  data(value: unknown): void;
}

export function createReporter(json: boolean, out: Print, err: Print): Reporter {
  return {
    json,
    step: (message) => !json && out(`→ ${message}\n`),
    done: (message, ms) => !json && out(`✓ ${message}${ms === undefined ? '' : ` (${formatMs(ms)})`}\n`),
    warn: (message) => err(`! ${message}\n`),
    text: (message) => !json && out(`${message}\n`),
    data: (value) => json && out(`${JSON.stringify(value)}\n`),
  };
}

export function formatMs(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/** Columns padded to their widest cell. */
export function table(rows: string[][]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]))).join('  ')).join('\n');
}
