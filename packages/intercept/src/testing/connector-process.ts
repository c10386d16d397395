// Connectors in their own process, as `ffk intercept` runs them: tests SIGKILL and SIGSTOP it.
// One global intercept delivering to LOCAL_PORT, or, with DEVELOPERS (a JSON list of
// { owner, localPort, user? }), one connector per developer: personal on x-ffk-user when it
// names a user, else global (MODE=mirror: a mirror instead). Prints each state change as one
// JSON line on stdout, with its owner.
import net from 'node:net';
import { Connector } from '../connector/connector';
import type { InterceptSpec } from '../tunnel/protocol';

interface Developer {
  owner: string;
  localPort: number;
  user?: string;
}

const { TUNNEL_PORT, TOKEN, LOCAL_PORT, DEVELOPERS, MODE } = process.env;
if (!TOKEN || !TUNNEL_PORT) throw new Error('connector-process needs TUNNEL_PORT and TOKEN');
const token = TOKEN;
const developers: Developer[] = DEVELOPERS ? (JSON.parse(DEVELOPERS) as Developer[]) : [{ owner: 'child@laptop', localPort: Number(LOCAL_PORT) }];

const specOf = (user: string | undefined): InterceptSpec =>
  user !== undefined ? { mode: 'personal', value: user } : { mode: MODE === 'mirror' ? 'mirror' : 'global' };

const connectors = developers.map(({ owner, localPort, user }) => {
  const connector = new Connector({
    openStream: () => net.connect({ host: '127.0.0.1', port: Number(TUNNEL_PORT) }),
    token,
    intercept: specOf(user),
    localPort,
    owner,
    backoff: { initialMs: 50, maxMs: 200 },
  });
  connector.on('state', (state) => process.stdout.write(`${JSON.stringify({ owner, ...state })}\n`));
  void connector.start().catch(() => process.exit(2));
  return connector;
});
process.once('SIGTERM', () => void Promise.all(connectors.map((c) => c.stop())).then(() => process.exit(0)));
