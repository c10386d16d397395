// PostgreSQL for the containers: the tag the manifests pin (the official image), or where it
// cannot be pulled, the stand-in from packages/images/postgres/Dockerfile under that same tag.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildImage, requireBuilder } from '../build/build-image';
import { runCommand } from '../docker/run';

export const POSTGRES_DOCKERFILE = 'packages/images/postgres/Dockerfile';

/** The image k8s/base/postgres/deployment.yaml runs, e.g. postgres:17.11-alpine. */
export function postgresImage(repoRoot: string): string {
  const tag = /image: (postgres:\S+)/.exec(readFileSync(join(repoRoot, 'k8s/base/postgres/deployment.yaml'), 'utf8'))?.[1];
  if (!tag) throw new Error('k8s/base/postgres/deployment.yaml names no postgres: image');
  return tag;
}

export type PostgresOutcome = { kind: 'official' | 'pulled' | 'stand-in'; tag: string; ms: number };

export async function ensurePostgresImage(repoRoot: string, log: (line: string) => void): Promise<PostgresOutcome> {
  const builder = await requireBuilder();
  const tag = postgresImage(repoRoot);
  const started = performance.now();
  const label = await runCommand(builder.client, ['image', 'inspect', tag, '--format', '{{index .Config.Labels "dev.ffk.stand-in"}}']);
  const ours = label.code === 0 && label.stdout.trim() === 'postgres';
  if (label.code === 0 && !ours) return { kind: 'official', tag, ms: 0 };
  if (label.code !== 0) {
    const pull = await runCommand(builder.client, ['pull', '--quiet', tag]);
    if (pull.code === 0) return { kind: 'pulled', tag, ms: performance.now() - started };
    log(`cannot pull ${tag} (${pull.stderr.trim().split('\n').at(-1)}): building the stand-in PostgreSQL`);
  }
  // Ours already: rebuild anyway, which is all cache hits unless its Dockerfile changed.
  await buildImage({ repoRoot, dockerfile: POSTGRES_DOCKERFILE, tag, onLine: log });
  return { kind: 'stand-in', tag, ms: performance.now() - started };
}
