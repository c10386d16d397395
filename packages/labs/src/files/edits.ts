// Solutions are edits applied to the learner's files; what was there before is kept so the
// runner can put it back exactly (CI and verify revert every solution they apply).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Edit } from '../model/types';
import type { Shell } from '../shell/shell';

export type Snapshot = Map<string, string | null>;

export function snapshotFiles(repoRoot: string, files: string[]): Snapshot {
  const snapshot: Snapshot = new Map();
  for (const file of files) {
    const path = resolve(repoRoot, file);
    snapshot.set(path, existsSync(path) ? readFileSync(path, 'utf8') : null);
  }
  return snapshot;
}

export function restoreSnapshot(snapshot: Snapshot): void {
  for (const [path, content] of snapshot) {
    if (content !== null) writeFileSync(path, content);
  }
}

export function applyEdits(repoRoot: string, edits: Edit[]): void {
  for (const edit of edits) {
    const path = resolve(repoRoot, edit.file);
    if (!existsSync(path)) throw new Error(`solution edits ${edit.file}, which does not exist`);
    const text = readFileSync(path, 'utf8');
    const at = text.indexOf(edit.find);
    if (at < 0) throw new Error(`solution does not apply: ${edit.file} does not contain ${JSON.stringify(edit.find)}`);
    writeFileSync(path, text.slice(0, at) + edit.replace + text.slice(at + edit.find.length));
  }
}

/** Restore files to their committed state (the learner's "r" and `lab:reset`). */
export async function restoreFromGit($: Shell, files: string[]): Promise<void> {
  if (files.length === 0) return;
  await $`git restore --source=HEAD --worktree -- ${files}`;
}

/** Files among `files` whose content differs from the commit (a check that passes "as shipped" may just be edited). */
export async function changedFromGit($: Shell, files: string[]): Promise<string[]> {
  if (files.length === 0) return [];
  const out = await $`git diff --name-only HEAD -- ${files}`;
  return out.stdout.split('\n').filter(Boolean);
}
