// Test servers in their own process (for the benchmarks): NAME, or NAMES (comma-separated) for
// several in one process, each on its own port; prints {"port": first, "ports": {name: port}}
// once all listen. DELAY_MS makes them slow ones.
import { startTestServer } from './servers';

const names = (process.env.NAMES ?? process.env.NAME ?? 'local').split(',');
const servers = await Promise.all(names.map((name) => startTestServer(name, 0, Number(process.env.DELAY_MS ?? 0))));
process.stdout.write(`${JSON.stringify({ port: servers[0].port, ports: Object.fromEntries(servers.map((s) => [s.name, s.port])) })}\n`);
process.once('SIGTERM', () => void Promise.all(servers.map((s) => s.close())).then(() => process.exit(0)));
