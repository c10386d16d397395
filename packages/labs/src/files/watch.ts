// Re-run the check when a watched file is saved. Editors save in bursts (truncate+write, or
// write-to-temp+rename), so we watch the directory, match the file name, and debounce.
import { type FSWatcher, watch } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';

/** Calls `onSave(savedAt)` once per burst of changes; savedAt is the first change of the burst. */
export function watchFiles(repoRoot: string, files: string[], onSave: (savedAt: number) => void, debounceMs = 150): () => void {
  const byDir = new Map<string, Set<string>>();
  for (const file of files) {
    const path = resolve(repoRoot, file);
    byDir.set(dirname(path), (byDir.get(dirname(path)) ?? new Set()).add(basename(path)));
  }
  let timer: NodeJS.Timeout | undefined;
  let firstChange: number | undefined;
  const watchers: FSWatcher[] = [...byDir].map(([dir, names]) =>
    watch(dir, (_event, filename) => {
      if (!filename || !names.has(filename.toString())) return;
      firstChange ??= Date.now();
      clearTimeout(timer);
      timer = setTimeout(() => {
        const savedAt = firstChange ?? Date.now();
        firstChange = undefined;
        onSave(savedAt);
      }, debounceMs);
    }),
  );
  return () => {
    clearTimeout(timer);
    for (const watcher of watchers) watcher.close();
  };
}
