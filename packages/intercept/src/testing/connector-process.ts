// A connector in its own process, as `ffk intercept` runs it: tests SIGKILL and SIGSTOP it.
// Prints each state change as one JSON line on stdout. MODE=mirror makes it a mirror (default global).
import net from 'node:net';
import { Connector } from '../connector/connector';

const { TUNNEL_PORT, TOKEN, LOCAL_PORT, MODE } = process.env;
if (!TOKEN) throw new Error('connector-process needs TOKEN (the agent token) in its environment');
const connector = new Connector({
  openStream: () => net.connect({ host: '127.0.0.1', port: Number(TUNNEL_PORT) }),
  token: TOKEN,
  intercept: { mode: MODE === 'mirror' ? 'mirror' : 'global' },
  localPort: Number(LOCAL_PORT),
  owner: 'child@laptop',
  backoff: { initialMs: 50, maxMs: 200 },
});
connector.on('state', (state) => process.stdout.write(`${JSON.stringify(state)}\n`));
void connector.start().catch(() => process.exit(2));
process.once('SIGTERM', () => void connector.stop().then(() => process.exit(0)));
