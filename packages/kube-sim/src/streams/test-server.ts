// For the stream tests: a bare HTTP server that serves one pod's subresource handler the way
// the router does (plain requests and upgrades, errors as Status), without the API server.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { sendError, toApiError } from '../http/respond';
import { rejectUpgrade, type SubresourceContext, type SubresourceHandler } from '../http/router';
import type { KubeObject } from '../store/types';

export async function serveSubresource(handler: SubresourceHandler, pod: () => KubeObject): Promise<{ url: string; server: Server }> {
  const context = (req: { url?: string }): SubresourceContext => {
    const url = new URL(req.url ?? '/', 'http://x');
    const [, , , , namespace, , name] = url.pathname.split('/');
    return { query: url.searchParams, namespace, name, object: pod() } as unknown as SubresourceContext;
  };
  const serve = async (req: IncomingMessage, res: ServerResponse) => {
    try {
      await handler.handle?.({ ...context(req), req, res });
    } catch (error) {
      sendError(res, error);
    }
  };
  const upgrade = async (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    try {
      await handler.upgrade?.({ ...context(req), req, socket, head });
    } catch (error) {
      rejectUpgrade(socket, toApiError(error));
    }
  };
  const server = createServer((req, res) => void serve(req, res));
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => void upgrade(req, socket, head));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}
