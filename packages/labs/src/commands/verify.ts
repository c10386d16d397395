import { findLab, listLabs, loadLab } from '../model/discover';
import { formatDuration } from '../render/duration';
import type { Output } from '../run/actions';
import { runLabBatch } from '../run/batch';
import { anyFailed, type CheckRow, renderCheckTable } from '../run/report';
import { describeFailure } from '../shell/shell';

/** Every lab, non-interactively: each check fails as shipped and passes with its solution. */
export async function verifyCommand(repoRoot: string, out: Output, offline: boolean, only?: number[]): Promise<boolean> {
  const started = performance.now();
  const rows: CheckRow[] = [];
  const entries = listLabs(repoRoot).filter((entry) => !only?.length || only.includes(entry.number));
  for (const entry of entries) {
    try {
      rows.push(...(await runLabBatch(await loadLab(entry), { repoRoot, out, offline, verify: true })));
    } catch (error) {
      rows.push({ lab: entry.number, step: 'lab.ts', result: 'FAIL', ms: null, reason: `cannot load: ${describeFailure(error).reason}` });
    }
  }
  if (entries.length === 0) {
    out.write(`No labs to verify under ${repoRoot}/labs.\n`);
    return false;
  }
  out.write(`\n${renderCheckTable(rows)} in ${formatDuration(performance.now() - started)}\n`);
  return !anyFailed(rows);
}

/** `lab N --ci`: the same lab non-interactively, solutions applied then reverted. */
export async function ciCommand(repoRoot: string, number: number, out: Output, offline: boolean): Promise<boolean> {
  const rows = await runLabBatch(await loadLab(findLab(repoRoot, number)), { repoRoot, out, offline, verify: false });
  out.write(`\n${renderCheckTable(rows)}\n`);
  return !anyFailed(rows);
}
