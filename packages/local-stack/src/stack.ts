// The three services on this machine, wired the way Kubernetes wires them, on an embedded
// PostgreSQL unless a DATABASE_URL is given.
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type EmbeddedPostgres, startEmbeddedPostgres } from './database/embedded-postgres';
import { isCrashLine, prefixFor, prettyLine } from './logs/pretty-log';
import { assertPortsFree, freePort } from './ports/free-ports';
import { type ServiceProcess, startService } from './services/service-process';
import { waitReady } from './services/wait-ready';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

export interface LocalStackOptions {
  /** 0 picks a free port (tests). */
  ports: { web: number; catalog: number; inventory: number };
  /** Use this PostgreSQL instead of the embedded one. */
  databaseUrl?: string;
  /** Where the embedded database keeps its data, or 'memory'. */
  storage: string;
  /** A finished step: "inventory", seconds since the step began, and where it is. */
  onReady(step: string, seconds: number, where: string): void;
  /** A line of a service's log, already prefixed with its name. */
  onLog(line: string): void;
  /** A service crashed before it was ready: the stack waits for the developer's fix. */
  onCrash(service: string): void;
  readyTimeoutMs?: number;
  /** Aborting it while the stack starts stops what already runs, then startLocalStack rejects. */
  signal?: AbortSignal;
}

export interface LocalStack {
  urls: { web: string; catalog: string; inventory: string; database: string };
  /** The service processes' ids (each leads a process group holding tsx and the app). */
  pids: number[];
  stop(): Promise<void>;
}

const SERVICES = ['inventory', 'catalog', 'web'] as const;
type ServiceName = (typeof SERVICES)[number];

const PORT_VARIABLES: Record<ServiceName, string> = { web: 'WEB_PORT', catalog: 'CATALOG_PORT', inventory: 'INVENTORY_PORT' };

function serviceEnv(name: ServiceName, port: number, databaseUrl: string, urls: Record<ServiceName, string>): Record<string, string> {
  // The developer's environment minus POD_NAME, so the badges say "local (<host>)".
  const { POD_NAME: _ignored, ...inherited } = process.env;
  const env: Record<string, string> = { ...(inherited as Record<string, string>), PORT: String(port), LOG_LEVEL: process.env.LOG_LEVEL ?? 'info' };
  if (name === 'inventory' || name === 'catalog') env.DATABASE_URL = databaseUrl;
  if (name === 'catalog') env.INVENTORY_URL = urls.inventory;
  if (name === 'web') env.CATALOG_URL = urls.catalog;
  return env;
}

async function timed<T>(work: () => Promise<T>): Promise<[T, number]> {
  const started = performance.now();
  const result = await work();
  return [result, (performance.now() - started) / 1000];
}

export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  await assertPortsFree(
    SERVICES.map((name) => ({ name, port: options.ports[name], envVar: PORT_VARIABLES[name] })),
    REPO_ROOT,
  );
  const chosen = await Promise.all(SERVICES.map(async (name) => [name, options.ports[name] || (await freePort())]));
  const ports = Object.fromEntries(chosen) as Record<ServiceName, number>;
  const urls = Object.fromEntries(SERVICES.map((name) => [name, `http://localhost:${ports[name]}`])) as Record<ServiceName, string>;

  let database: EmbeddedPostgres | null = null;
  const running: ServiceProcess[] = [];
  const stop = async () => {
    // Front to back, so nothing calls a service that is already gone.
    for (const service of [...running].reverse()) await service.stop();
    await database?.stop();
  };

  try {
    options.signal?.throwIfAborted();
    let databaseUrl = options.databaseUrl;
    if (databaseUrl) options.onReady('database', 0, `DATABASE_URL (${new URL(databaseUrl).host})`);
    else {
      const [embedded, seconds] = await timed(() => startEmbeddedPostgres({ storage: options.storage }));
      database = embedded;
      databaseUrl = embedded.url;
      options.signal?.throwIfAborted();
      options.onReady('database', seconds, `${embedded.url} (PGlite, ${options.storage === 'memory' ? 'in memory' : `data in ${options.storage}`})`);
    }

    const width = Math.max(...SERVICES.map((name) => name.length));
    const started = performance.now();
    // All three start at once (tsx start-up dominates); each is reported as it becomes ready.
    await Promise.all(
      SERVICES.map(async (name, index) => {
        const prefix = prefixFor(name, index, width);
        let ready = false;
        let crashed = false;
        const service = startService(
          { name, cwd: join(REPO_ROOT, 'apps', name), entry: 'src/main.ts', env: serviceEnv(name, ports[name], databaseUrl, urls) },
          (line) => {
            options.onLog(prefix + prettyLine(line));
            if (!ready && !crashed && isCrashLine(line)) {
              crashed = true;
              options.onCrash(name);
            }
          },
        );
        running.push(service);
        try {
          await waitReady(urls[name], { exited: service.exited, crashed: () => crashed, timeoutMs: options.readyTimeoutMs ?? 60_000, signal: options.signal });
          ready = true;
        } catch (error) {
          if (options.signal?.aborted) throw error;
          throw new Error(`${name} ${(error as Error).message}`, { cause: error });
        }
        options.onReady(name, (performance.now() - started) / 1000, urls[name]);
      }),
    );
    return { urls: { ...urls, database: databaseUrl }, pids: running.map((s) => s.pid), stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
