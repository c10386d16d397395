// runService with a `prepare` that finishes only on SIGUSR2, for lifecycle.test.ts: the test
// decides when the service's dependencies are "ready". /slow takes 500 ms to answer.
import { createLogger } from '../../logging/logger';
import { runService } from '../lifecycle';

await runService({
  logger: createLogger({ name: 'slow-prepare' }),
  port: 0,
  host: '127.0.0.1',
  prepare: () => new Promise<void>((resolve) => process.once('SIGUSR2', () => resolve())),
  app: () => (req, res) => void setTimeout(() => res.end(`prepared, ${req.url}`), req.url === '/slow' ? 500 : 0),
});
