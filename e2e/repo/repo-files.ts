// Reading the repository's own files from tests, wherever vitest was started.
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { parseAllDocuments } from 'yaml';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

export const SERVICES = ['web', 'catalog', 'inventory'] as const;
export type Service = (typeof SERVICES)[number];

export function repoPath(relative: string): string {
  return join(repoRoot, relative);
}

export function repoFileExists(relative: string): boolean {
  return existsSync(repoPath(relative));
}

export function readRepoFile(relative: string): string {
  return readFileSync(repoPath(relative), 'utf8');
}

/** Every YAML document of a (multi-document) YAML text; a syntax error throws with its position. */
export function parseYamlDocuments(text: string, source: string): unknown[] {
  return parseAllDocuments(text).map((doc) => {
    if (doc.errors.length > 0) throw new Error(`${source}: ${doc.errors[0].message}`);
    return doc.toJS() as unknown;
  });
}

export function readRepoYaml<T>(relative: string): T {
  const [first] = parseYamlDocuments(readRepoFile(relative), relative);
  return first as T;
}

export const execFileAsync = promisify(execFile);
