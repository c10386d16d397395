import { writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import { listLabs, loadLab } from '../model/discover';
import { readmeIsFresh, readmePath, renderReadme } from '../readme/generate';

/** Writes each lab's README.md from its lab.ts; returns the files it changed. */
export async function readmeCommand(repoRoot: string): Promise<string[]> {
  const written: string[] = [];
  for (const entry of listLabs(repoRoot)) {
    const loaded = await loadLab(entry);
    if (readmeIsFresh(loaded)) continue;
    writeFileSync(readmePath(loaded), renderReadme(loaded));
    written.push(relative(repoRoot, readmePath(loaded)));
  }
  return written;
}
