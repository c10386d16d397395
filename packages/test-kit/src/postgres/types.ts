/** A PostgreSQL database that belongs to one test file. */
export interface TestPostgres {
  /** Connection URL of a fresh, empty database, e.g. postgres://postgres@127.0.0.1:41234/postgres. */
  url: string;
  /** Where the server came from, for test output. */
  source: 'DATABASE_URL' | 'binaries' | 'testcontainers';
  /** Drops the database or stops the server, and removes its files. Safe to call twice. */
  stop(): Promise<void>;
}

/** Where a connection URL points, without its password, for messages. */
export function describeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname}:${parsed.port || 5432}${parsed.pathname}`;
  } catch {
    return 'an unparsable URL';
  }
}

/** Runs `fn` at most once, remembering its promise, so stop() may be called from several places. */
export function once(fn: () => Promise<void>): () => Promise<void> {
  let done: Promise<void> | undefined;
  return () => (done ??= fn());
}
