import { request } from 'node:http';
import type { Duplex } from 'node:stream';

/** One HTTP GET over an already open stream (a port-forward), for tests. */
export function getOver(stream: Duplex, path = '/', headers: Record<string, string> = {}): Promise<{ status: number; servedBy: string; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ createConnection: () => stream, path, headers: { ...headers, connection: 'close' } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, servedBy: String(res.headers['x-ffk-served-by'] ?? ''), body }));
    });
    req.on('error', reject);
    req.end();
  });
}
