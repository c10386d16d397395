import { formatDuration } from '../render/duration';
import { style } from '../render/style';
import { renderTable } from '../render/table';

export interface CheckRow {
  lab: number;
  step: string;
  result: 'pass' | 'FAIL' | 'skipped';
  ms: number | null;
  reason: string;
}

const RESULT = { pass: style.green('pass'), FAIL: style.red('FAIL'), skipped: style.yellow('skipped') };

export function renderCheckTable(rows: CheckRow[]): string {
  const table = renderTable(
    ['lab', 'step', 'result', 'time', 'reason'],
    rows.map((row) => [String(row.lab), row.step, RESULT[row.result], row.ms === null ? '-' : formatDuration(row.ms), row.reason]),
  );
  const count = (result: CheckRow['result']) => rows.filter((row) => row.result === result).length;
  return `${table}\n\n${count('pass')} passed, ${count('FAIL')} failed, ${count('skipped')} skipped`;
}

export function anyFailed(rows: CheckRow[]): boolean {
  return rows.some((row) => row.result === 'FAIL');
}
