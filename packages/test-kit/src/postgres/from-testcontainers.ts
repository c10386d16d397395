import { once, type TestPostgres } from './types';

// Pinned like every image of this project; alpine keeps the pull small.
const IMAGE = 'postgres:17.6-alpine';

/** A PostgreSQL container, when a Docker engine answers. Loaded lazily: most runs never need it. */
export async function containerFromDocker(): Promise<TestPostgres> {
  const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
  const container = await new PostgreSqlContainer(IMAGE).start();
  return {
    url: container.getConnectionUri(),
    source: 'testcontainers',
    stop: once(async () => void (await container.stop())),
  };
}
