// Cluster DNS for processes: the simulator writes the Service name table to a JSON file and the
// pod preload answers lookups from it, with the search path a pod's resolv.conf would give.
import { readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';

export const CLUSTER_DOMAIN = 'cluster.local';

/** `{ "<namespace>/<service>": "<address>", "<clusterIP>": "<address>" }` */
export type NameTable = Record<string, string>;

/**
 * Resolves a name as cluster DNS would for a pod in `podNamespace`: `svc`, `svc.ns`,
 * `svc.ns.svc` and `svc.ns.svc.cluster.local` (with or without a trailing dot).
 */
export function resolveServiceName(name: string, podNamespace: string, table: NameTable): string | undefined {
  const labels = name.toLowerCase().replace(/\.$/, '').split('.');
  if (labels.length === 1) return table[`${podNamespace}/${labels[0]}`];
  const tail = labels.slice(2).join('.');
  if (tail === '' || tail === 'svc' || tail === `svc.${CLUSTER_DOMAIN}`) return table[`${labels[1]}/${labels[0]}`];
  return undefined;
}

/** Writes the table atomically, so a reader never sees half a file. */
export function writeNameTable(file: string, table: NameTable): void {
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, JSON.stringify(table));
  renameSync(temporary, file);
}

/** Reads the table, re-reading only when the file changed. */
export function nameTableReader(file: string): () => NameTable {
  let cached: NameTable = {};
  let stamp = '';
  return () => {
    try {
      const stat = statSync(file);
      const current = `${stat.mtimeMs}:${stat.ino}:${stat.size}`;
      if (current !== stamp) {
        cached = JSON.parse(readFileSync(file, 'utf8')) as NameTable;
        stamp = current;
      }
    } catch {
      // No table yet (or the simulator is gone): no cluster names resolve.
    }
    return cached;
  };
}
