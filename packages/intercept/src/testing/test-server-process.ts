// A test server in its own process (for the benchmark): prints {"port": n} once listening;
// DELAY_MS makes it a slow one.
import { startTestServer } from './servers';

const server = await startTestServer(process.env.NAME ?? 'local', 0, Number(process.env.DELAY_MS ?? 0));
process.stdout.write(`${JSON.stringify({ port: server.port })}\n`);
process.once('SIGTERM', () => void server.close().then(() => process.exit(0)));
