import { freePort } from '@ffk/test-kit';
import { expect, it } from 'vitest';
import { createLogger } from '../logging/logger';
import { createPool, waitForPostgres } from './pool';

it('waitForPostgres names the server of DATABASE_URL (not pg’s defaults) when it gives up', async () => {
  const port = await freePort();
  const pool = createPool(`postgres://app:secret@127.0.0.1:${port}/shop`, createLogger({ name: 'test', level: 'silent' }));
  try {
    await expect(waitForPostgres(pool, createLogger({ name: 'test', level: 'silent' }), { timeoutMs: 1_000, intervalMs: 200 })).rejects.toThrow(
      new RegExp(`^PostgreSQL at 127\\.0\\.0\\.1:${port}/shop did not answer within 1 s: connect ECONNREFUSED`),
    );
  } finally {
    await pool.end();
  }
});
