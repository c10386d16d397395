import { listLabs, loadLab } from '../model/discover';
import { style } from '../render/style';
import { renderTable } from '../render/table';
import { describeFailure } from '../shell/shell';
import { progressFile, ProgressStore } from '../state/progress';

/** `npm run labs`: every lab with the learner's status. */
export async function listCommand(repoRoot: string): Promise<string> {
  const store = new ProgressStore(progressFile(repoRoot));
  const rows: string[][] = [];
  for (const entry of listLabs(repoRoot)) {
    const progress = store.data.labs[entry.number];
    let title: string;
    let status: string;
    try {
      const { lab } = await loadLab(entry);
      title = lab.title;
      const done = lab.steps.filter((step) => progress?.steps[step.id]?.completedAt).length;
      status = progress?.completedAt
        ? style.green(`✔ done ${progress.completedAt.slice(0, 10)}`)
        : progress
          ? style.yellow(`${done}/${lab.steps.length} steps done`)
          : style.dim('not started');
      if (store.data.current?.lab === entry.number && !progress?.completedAt) status += style.dim(' ← you are here');
    } catch (error) {
      title = entry.name;
      status = style.red(`cannot load lab.ts: ${describeFailure(error).reason}`);
    }
    rows.push([String(entry.number), title, status, `npm run lab:${entry.number}`]);
  }
  if (rows.length === 0) return `No labs under ${repoRoot}/labs yet.`;
  return renderTable(['lab', 'title', 'status', 'start with'], rows);
}
