import { style } from '../render/style';
import type { DoctorReport, Status } from './doctor';

const MARK: Record<Status, string> = { ok: style.green('✔'), warn: style.yellow('!'), fail: style.red('✖') };

const sentence = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

export function renderDoctor(report: DoctorReport): string {
  const lines = [style.bold('ffk doctor'), ''];
  for (const check of report.checks) {
    lines.push(`${MARK[check.status]} ${check.title}: ${check.status === 'ok' ? style.dim(check.detail) : check.detail}`);
    if (check.fix) lines.push(`    fix: ${style.cyan(check.fix)}`);
  }
  lines.push('');
  if (report.mode === 'kind') lines.push(style.green('Ready: the labs will use a kind cluster named ffk.'));
  if (report.mode === 'blocked') lines.push(style.red('Not ready: fix the ✖ lines needed by every lab, then run `npm run doctor` again.'));
  if (report.offline) {
    lines.push(
      style.yellow(`${sentence(report.offline.missing.join(' and '))}: the labs can run offline on kube-sim, the Kubernetes API simulator.`),
      `    ${style.cyan(report.offline.command)}   (the runner also picks it by itself when there is no engine)`,
      'What offline mode does not show:',
      ...report.offline.notShown.map((line) => `  • ${line}`),
    );
  }
  return lines.join('\n');
}
