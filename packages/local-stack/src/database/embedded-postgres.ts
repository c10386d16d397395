// PostgreSQL for `npm run dev` on a machine with none installed: PGlite (Postgres compiled to
// WebAssembly) behind its wire-protocol socket server, so the services connect with plain `pg`.
import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

export interface EmbeddedPostgresOptions {
  /** A directory to keep the data in across runs, or 'memory' for a throwaway database. */
  storage: string;
  /** 0 picks a free port. */
  port?: number;
}

export interface EmbeddedPostgres {
  url: string;
  stop(): Promise<void>;
}

// The socket server serves one connection at a time unless told otherwise; each service keeps a
// small pool, so leave room for all three plus a psql session.
const MAX_CONNECTIONS = 30;

export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  if (options.storage !== 'memory') mkdirSync(options.storage, { recursive: true });
  const db = await PGlite.create(options.storage === 'memory' ? undefined : { dataDir: options.storage });
  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: options.port ?? 0, maxConnections: MAX_CONNECTIONS });
  try {
    await server.start();
  } catch (error) {
    await db.close();
    throw error;
  }
  return {
    url: `postgres://postgres@${server.getServerConn()}/postgres`,
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}
