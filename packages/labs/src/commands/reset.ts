import { restoreFromGit } from '../files/edits';
import { filesOf } from '../model/define';
import { findLab, loadLab } from '../model/discover';
import { style } from '../render/style';
import { type Output, printTaskProgress, runTasks } from '../run/actions';
import { openSession } from '../run/session';
import { progressFile, ProgressStore } from '../state/progress';

/** `npm run lab:reset -- N`: the lab's files from git, its cluster state via its hook, its progress. */
export async function resetCommand(repoRoot: string, number: number, out: Output, offline: boolean): Promise<boolean> {
  const loaded = await loadLab(findLab(repoRoot, number));
  const resetCluster = loaded.lab.resetCluster?.bind(loaded.lab);
  const store = new ProgressStore(progressFile(repoRoot));
  const session = openSession(loaded, { repoRoot, store, mode: 'interactive', offline, out });
  const files = [...new Set(loaded.lab.steps.flatMap(filesOf))];
  const tasks = [
    {
      title: files.length ? `Restore ${files.join(', ')} from git` : 'No files to restore',
      run: () => restoreFromGit(session.ctx.$, files),
    },
    ...(resetCluster ? [{ title: 'Restore the cluster state', run: () => resetCluster(session.ctx) }] : []),
  ];
  const outcomes = await runTasks(tasks, session.ctx, session.sink, session.toolbox, printTaskProgress(out));
  const ok = outcomes.every((o) => o.status === 'done');
  if (ok) {
    store.resetLab(number);
    out.write(style.green(`Lab ${number} is reset: \`npm run lab:${number}\` starts it from step 1.\n`));
  }
  return ok;
}
