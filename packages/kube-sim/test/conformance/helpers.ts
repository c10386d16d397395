import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defined } from '@ffk/test-kit/defined';
import { ApiException, KubeConfig } from '@kubernetes/client-node';
import { type Sim, type SimOptions, startSim } from '../../src/index';
import { parseJson } from '../../src/testing/json';

export interface TestCluster {
  sim: Sim;
  kc: KubeConfig;
  /** Runs kubectl against the simulator (as the admin, or with another kubeconfig); resolves even when kubectl fails. */
  kubectl(args: string[], input?: string, kubeconfig?: string): Promise<{ code: number; stdout: string; stderr: string }>;
  /** kubectl as the admin that must succeed; returns stdout, or throws with kubectl's stderr. */
  kubectlOk(...args: string[]): Promise<string>;
  /** A raw HTTPS request as the admin (query strings exactly as written): status, headers and body. */
  raw(method: string, path: string, options?: RawOptions): Promise<RawResponse>;
  stop(): Promise<void>;
}

export interface RawOptions {
  body?: unknown;
  contentType?: string;
  accept?: string;
  /** Resolve with what arrived once the first line of a streamed body is in (a watch), then hang up. */
  firstLine?: boolean;
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  /** The body (or with `firstLine`, its first line) as the shape the test reads from it. */
  json<T>(): T;
}

/** A Status answer (any failure), as the tests read it. */
export interface Status {
  kind: 'Status';
  code: number;
  reason: string;
  message: string;
  details: { name?: string; group?: string; kind?: string; causes: { reason: string; message: string; field: string }[]; retryAfterSeconds?: number };
  metadata: ListMeta;
}

/** A list's metadata: where it was read, and how its pages go on. */
export interface ListMeta {
  resourceVersion: string;
  continue?: string;
  remainingItemCount?: number;
}

/** A list answer with the names of its items, and its metadata. */
export interface NamedList {
  items: { metadata: { name: string } }[];
  metadata: ListMeta;
}

export async function startCluster(options: SimOptions = {}): Promise<TestCluster> {
  const sim = await startSim(options);
  const kc = new KubeConfig();
  kc.loadFromFile(sim.kubeconfigPath);
  const cacheDir = mkdtempSync(join(tmpdir(), 'kube-sim-kubectl-cache-'));
  const kubectl = (args: string[], input?: string, kubeconfig = sim.kubeconfigPath) =>
    new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      const child = execFile('kubectl', ['--kubeconfig', kubeconfig, '--cache-dir', cacheDir, ...args], { timeout: 30_000 }, (error, stdout, stderr) =>
        resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
      );
      if (input !== undefined) child.stdin?.end(input);
    });
  const kubectlOk = async (...args: string[]) => {
    const result = await kubectl(args);
    if (result.code !== 0) throw new Error(`kubectl ${args.join(' ')} failed: ${result.stderr}`);
    return result.stdout;
  };
  const ca = Buffer.from(defined(kc.getCurrentCluster()?.caData, "the simulator's CA in its kubeconfig"), 'base64');
  const raw = (method: string, path: string, options: RawOptions = {}) =>
    new Promise<RawResponse>((resolve, reject) => {
      const body = options.body === undefined ? undefined : typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
      const headers: Record<string, string> = { authorization: `Bearer ${sim.token}`, accept: options.accept ?? 'application/json' };
      if (body !== undefined) {
        headers['content-type'] = options.contentType ?? 'application/json';
        headers['content-length'] = String(Buffer.byteLength(body)); // Node sends a DELETE body unframed otherwise
      }
      const req = request(new URL(path, sim.url), { method, ca, headers }, (res) => {
        let text = '';
        const done = () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            text,
            json: <T>() => parseJson<T>(options.firstLine ? text.split('\n')[0] : text),
          });
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          text += chunk;
          if (options.firstLine && text.includes('\n')) {
            done();
            req.destroy();
          }
        });
        res.on('end', done);
      });
      req.on('error', reject); // after a resolve (the hang-up of a watch) it changes nothing
      req.end(body);
    });
  const stop = async () => {
    await sim.stop();
    rmSync(cacheDir, { recursive: true, force: true });
  };
  return { sim, kc, kubectl, kubectlOk, raw, stop };
}

/** The Status a client-node call failed with. */
export async function statusOf(call: Promise<unknown>): Promise<Status> {
  try {
    await call;
  } catch (error) {
    if (error instanceof ApiException) {
      const body: unknown = typeof error.body === 'string' ? JSON.parse(error.body) : error.body;
      return { ...(body as Status), code: error.code };
    }
    throw error;
  }
  throw new Error('the call succeeded; expected a failure');
}

export async function eventually<T>(check: () => T | Promise<T>, timeoutMs = 5_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }
}
