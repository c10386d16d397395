import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from './logger';

function captured(): { lines: Record<string, unknown>[]; stream: Writable } {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({ write: (chunk: Buffer, _encoding, done) => void (lines.push(JSON.parse(chunk.toString())), done()) });
  return { lines, stream };
}

describe('createLogger', () => {
  it('writes the kit\'s one log shape: ISO time, name, pid, hostname, extra fields, msg', async () => {
    const { lines, stream } = captured();
    createLogger({ name: 'ffk-agent', fields: { pod: 'catalog-7d9f-abcde' }, destination: stream }).info({ port: 3000 }, 'agent ready');
    await new Promise((resolve) => setImmediate(resolve));
    expect(lines).toEqual([{ level: 30, time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/), pid: process.pid, hostname: expect.any(String), name: 'ffk-agent', pod: 'catalog-7d9f-abcde', port: 3000, msg: 'agent ready' }]);
  });
});
