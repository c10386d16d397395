import { describe, expect, it } from 'vitest';
import { isCrashLine, prettyLine } from './pretty-log';

describe('pretty log lines', () => {
  it('turns a pino JSON line into time, level, message and fields', () => {
    const time = new Date(2025, 0, 2, 9, 8, 7).getTime();
    const line = JSON.stringify({ level: 40, time, pid: 1, hostname: 'h', msg: 'inventory slow', url: '/stock', ms: 2001 });
    expect(prettyLine(line)).toBe('09:08:07 WARN  inventory slow url=/stock ms=2001');
  });

  it('reads ISO timestamps and leaves out the service name and empty fields', () => {
    const time = new Date(2025, 0, 2, 9, 8, 7).toISOString();
    const line = JSON.stringify({ level: 30, time, name: 'catalog', msg: 'request', status: 200, propagated: {} });
    expect(prettyLine(line)).toBe('09:08:07 INFO  request status=200');
  });

  it('shows an error stack under the line', () => {
    const line = JSON.stringify({ level: 50, time: 0, msg: 'boom', err: { message: 'x', stack: 'Error: x\n    at f' } });
    expect(prettyLine(line)).toMatch(/ERROR boom\nError: x\n {4}at f$/);
  });

  it('leaves anything else as it is', () => {
    expect(prettyLine('[tsx] change in ./src/banner.ts Rerunning...')).toBe('[tsx] change in ./src/banner.ts Rerunning...');
    expect(prettyLine('{not json')).toBe('{not json');
  });

  it('recognises an app that died while tsx watch lives on', () => {
    expect(isCrashLine('Node.js v24.21.0')).toBe(true);
    expect(isCrashLine(JSON.stringify({ level: 60, msg: 'could not start: PostgreSQL refused' }))).toBe(true);
    expect(isCrashLine(JSON.stringify({ level: 50, msg: 'request failed' }))).toBe(false);
    expect(isCrashLine('Node.js v24 is great')).toBe(false);
  });
});
