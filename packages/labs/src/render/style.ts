// ANSI styling that switches itself off where colour would be noise (pipes, CI logs, NO_COLOR).
import { stripVTControlCharacters } from 'node:util';

const enabled = !process.env.NO_COLOR && (Boolean(process.env.FORCE_COLOR) || Boolean(process.stdout.isTTY));

function wrap(open: number, close: number) {
  return (text: string) => (enabled ? `\x1b[${open}m${text}\x1b[${close}m` : text);
}

export const style = {
  bold: wrap(1, 22),
  dim: wrap(2, 22),
  italic: wrap(3, 23),
  underline: wrap(4, 24),
  red: wrap(31, 39),
  green: wrap(32, 39),
  yellow: wrap(33, 39),
  blue: wrap(34, 39),
  magenta: wrap(35, 39),
  cyan: wrap(36, 39),
};

/** Printable width of a string that may contain ANSI escapes. */
export function visibleLength(text: string): number {
  return stripVTControlCharacters(text).length;
}

export function stripAnsi(text: string): string {
  return stripVTControlCharacters(text);
}

export function padEnd(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - visibleLength(text)));
}

export function terminalWidth(): number {
  return Math.min(process.stdout.columns || 100, 100);
}
