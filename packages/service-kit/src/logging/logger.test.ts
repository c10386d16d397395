import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from './logger';

function captured(): { lines: Record<string, unknown>[]; stream: Writable } {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write: (chunk: Buffer, _encoding, done) => void (lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>), done()),
  });
  return { lines, stream };
}

describe('createLogger', () => {
  it("writes the kit's one log shape: ISO time, name, pid, hostname, extra fields, msg", async () => {
    const { lines, stream } = captured();
    createLogger({ name: 'ffk-agent', fields: { pod: 'catalog-7d9f-abcde' }, destination: stream }).info({ port: 3000 }, 'agent ready');
    await new Promise((resolve) => setImmediate(resolve));
    expect(lines).toHaveLength(1);
    const { time, hostname, ...rest } = lines[0] ?? {};
    expect(time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(typeof hostname).toBe('string');
    expect(rest).toEqual({ level: 30, pid: process.pid, name: 'ffk-agent', pod: 'catalog-7d9f-abcde', port: 3000, msg: 'agent ready' });
  });
});
