import http from 'node:http';

export interface LoadResult {
  rps: number;
  p50_ms: number;
  p99_ms: number;
}

/** What one load generator measured: the latency of every request of the recorded window. */
export interface LoadSample {
  latencies: number[];
  elapsedMs: number;
  /** requests sent in all, warm-up included (to divide CPU time by) */
  requests: number;
}

/**
 * Closed-loop load: `concurrency` keep-alive clients each sending GET requests back to back
 * for `durationMs` (after a warm-up of a quarter of that), measuring each request's latency.
 */
export async function measureRequests(port: number, path: string, concurrency: number, durationMs: number): Promise<LoadSample> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const latencies: number[] = [];
  let requests = 0;
  let recording = false;
  let running = true;
  const one = () =>
    new Promise<void>((resolve, reject) => {
      const started = performance.now();
      http
        .get({ host: '127.0.0.1', port, path, agent }, (res) => {
          res.resume();
          res.on('end', () => {
            if (res.statusCode !== 200) return reject(new Error(`status ${res.statusCode}`));
            requests++;
            if (recording) latencies.push(performance.now() - started);
            resolve();
          });
        })
        .on('error', reject);
    });
  const client = async () => {
    while (running) await one();
  };
  const clients = Array.from({ length: concurrency }, client);
  await new Promise((resolve) => setTimeout(resolve, durationMs / 4));
  recording = true;
  const started = performance.now();
  await new Promise((resolve) => setTimeout(resolve, durationMs));
  recording = false;
  const elapsedMs = performance.now() - started;
  running = false;
  await Promise.all(clients);
  agent.destroy();
  return { latencies, elapsedMs, requests };
}

/** Requests/s and latency percentiles of load generators that ran side by side. */
export function summarize(samples: LoadSample[]): LoadResult {
  const latencies = samples.flatMap((sample) => sample.latencies).sort((a, b) => a - b);
  const at = (q: number) => round(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]);
  const rps = samples.reduce((sum, sample) => sum + (sample.latencies.length / sample.elapsedMs) * 1000, 0);
  return { rps: Math.round(rps), p50_ms: at(0.5), p99_ms: at(0.99) };
}

/** Downloads `mb` megabytes and returns MB/s. */
export function measureDownload(port: number, mb: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    http
      .get({ host: '127.0.0.1', port, path: `/download?mb=${mb}`, agent: false }, (res) => {
        let bytes = 0;
        res.on('data', (chunk: Buffer) => (bytes += chunk.length));
        res.on('end', () => {
          if (bytes !== mb * 1024 * 1024) return reject(new Error(`got ${bytes} bytes of ${mb} MB`));
          resolve(round(mb / ((performance.now() - started) / 1000)));
        });
      })
      .on('error', reject);
  });
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
