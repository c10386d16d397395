// A test server in its own process (for the benchmark): prints {"port": n} once listening.
import { startTestServer } from './servers';

const server = await startTestServer(process.env.NAME ?? 'local');
process.stdout.write(`${JSON.stringify({ port: server.port })}\n`);
process.once('SIGTERM', () => void server.close().then(() => process.exit(0)));
