// Turns the services' pino JSON lines into one short readable line each, prefixed with the
// service's name, so three interleaved logs stay legible in one terminal.
import { styleText } from 'node:util';

type Color = Parameters<typeof styleText>[0];

const LEVELS: Record<number, { name: string; color: Color }> = {
  10: { name: 'TRACE', color: 'gray' },
  20: { name: 'DEBUG', color: 'gray' },
  30: { name: 'INFO', color: 'green' },
  40: { name: 'WARN', color: 'yellow' },
  50: { name: 'ERROR', color: 'red' },
  60: { name: 'FATAL', color: 'red' },
};

// pino's own bookkeeping fields: shown elsewhere in the line or not useful on a laptop.
const HIDDEN = new Set(['level', 'time', 'msg', 'pid', 'hostname', 'name']);

function field(value: unknown): string {
  if (typeof value === 'string') return /\s/.test(value) ? JSON.stringify(value) : value;
  return JSON.stringify(value);
}

function isEmpty(value: unknown): boolean {
  return value === undefined || (typeof value === 'object' && value !== null && Object.keys(value).length === 0);
}

/** pino writes epoch milliseconds or (with isoTime) an ISO string; show the local wall clock. */
function clock(time: unknown): string {
  const date = typeof time === 'number' || typeof time === 'string' ? new Date(time) : new Date();
  return Number.isNaN(date.getTime()) ? String(time) : date.toTimeString().slice(0, 8);
}

/** One log line as a person wants to read it; anything that is not pino JSON passes through unchanged. */
export function prettyLine(line: string): string {
  if (!line.startsWith('{')) return line;
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return line;
  }
  const level = LEVELS[entry.level as number] ?? {
    name: typeof entry.level === 'string' || typeof entry.level === 'number' ? String(entry.level) : 'LOG',
    color: 'white',
  };
  const { err, ...rest } = entry;
  const extras = Object.entries(rest)
    .filter(([key, value]) => !HIDDEN.has(key) && !isEmpty(value))
    .map(([key, value]) => `${styleText('gray', `${key}=`)}${field(value)}`);
  const stack = (err as { stack?: string } | undefined)?.stack;
  return (
    [styleText('gray', clock(entry.time)), styleText(level.color, level.name.padEnd(5)), typeof entry.msg === 'string' ? entry.msg : '', ...extras].join(' ') +
    (stack ? `\n${stack}` : '')
  );
}

const NAME_COLORS: Color[] = ['cyan', 'magenta', 'blue', 'yellow'];

/** `name │ ` in a colour of its own, padded so the three services' lines line up. */
export function prefixFor(name: string, index: number, width: number): string {
  return styleText(NAME_COLORS[index % NAME_COLORS.length], `${name.padEnd(width)} │ `);
}

/**
 * A raw line that means the app died: Node's trailer after an uncaught error, or a pino fatal
 * line (service-kit logs one when start-up fails). tsx watch itself keeps running after either.
 */
export function isCrashLine(line: string): boolean {
  return /^Node\.js v\d+\.\d+\.\d+$/.test(line) || (line.startsWith('{"level":60') && line.endsWith('}'));
}
