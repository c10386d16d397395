import http from 'node:http';
import { closable, listen } from '../util/servers';

/** The agent's own probe endpoint: answers for the agent, never for the app or a developer. */
export async function listenHealth(host: string, port: number, status: () => object): Promise<{ port: number; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    const ok = req.url === '/healthz' || req.url?.startsWith('/healthz?');
    const body = JSON.stringify(ok ? { status: 'ok', ...status() } : { error: 'not found: the agent serves /healthz only' });
    res.writeHead(ok ? 200 : 404, { 'content-type': 'application/json' }).end(body);
  });
  const close = closable(server);
  return { port: await listen(server, port, host), close };
}
