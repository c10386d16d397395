import http from 'node:http';

export interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** One HTTP request on loopback; resolves with the whole answer as text. */
export function get(port: number, path: string, headers: http.OutgoingHttpHeaders = {}, agent: http.Agent | false = false): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path, headers, agent }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => (res.statusCode ? resolve({ status: res.statusCode, headers: res.headers, body }) : reject(new Error(`no status code for ${path}`))));
      res.on('error', reject);
    });
    req.on('error', reject);
  });
}

/** The test server that wrote the body: servers.ts answers with JSON that names it in `who`. */
export function bodyWho(answer: Answer): string {
  return (JSON.parse(answer.body) as { who: string }).who;
}

/** Who answered: the test servers put their name in x-ffk-served-by, the connector overrides it. */
export async function whoAnswers(port: number, headers: http.OutgoingHttpHeaders = {}, agent?: http.Agent): Promise<string> {
  const answer = await get(port, '/who', headers, agent);
  if (answer.status !== 200) throw new Error(`status ${answer.status}: ${answer.body}`);
  return String(answer.headers['x-ffk-served-by']);
}
