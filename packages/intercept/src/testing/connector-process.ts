// Connectors in their own process, as `ffk intercept` runs them: tests SIGKILL and SIGSTOP it.
// One connector delivering to LOCAL_PORT, global or with MODE=mirror a mirror; or, with DEVELOPERS
// (a JSON list of { owner, localPort, user? }), one per developer: personal on x-ffk-user when it
// names a user, else global. Prints each state change as one JSON line on stdout, with its owner.
import net from 'node:net';
import { Connector } from '../connector/connector';
import type { InterceptSpec } from '../tunnel/protocol';

interface Developer {
  owner: string;
  localPort: number;
  user?: string;
}

const { TUNNEL_PORT, TOKEN, LOCAL_PORT, MODE, DEVELOPERS } = process.env;
if (!TOKEN) throw new Error('connector-process needs TOKEN (the agent token) in its environment');
const token = TOKEN;
const connectors = (
  DEVELOPERS
    ? (JSON.parse(DEVELOPERS) as Developer[]).map(({ owner, localPort, user }) => ({
        owner,
        localPort,
        intercept: (user === undefined ? { mode: 'global' } : { mode: 'personal', value: user }) satisfies InterceptSpec,
      }))
    : [{ owner: 'child@laptop', localPort: Number(LOCAL_PORT), intercept: { mode: MODE === 'mirror' ? 'mirror' : 'global' } satisfies InterceptSpec }]
).map(({ owner, localPort, intercept }) => {
  const connector = new Connector({
    openStream: () => net.connect({ host: '127.0.0.1', port: Number(TUNNEL_PORT) }),
    token,
    intercept,
    localPort,
    owner,
    backoff: { initialMs: 50, maxMs: 200 },
  });
  connector.on('state', (state) => process.stdout.write(`${JSON.stringify({ owner, ...state })}\n`));
  void connector.start().catch(() => process.exit(2));
  return connector;
});
process.once('SIGTERM', () => void Promise.all(connectors.map((c) => c.stop())).then(() => process.exit(0)));
