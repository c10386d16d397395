// The learner's own feedback loops side by side: one bar per loop (median of their runs),
// so "rebuild+redeploy" against "intercept" is seen, not just read.
import { formatDuration } from '../render/duration';
import { padEnd, style } from '../render/style';
import type { LoopMeasurement } from '../state/progress';

export interface LoopSummary {
  name: string;
  runs: number;
  medianMs: number;
  bestMs: number;
}

export function summarizeLoops(loops: LoopMeasurement[], names?: string[]): LoopSummary[] {
  const byName = new Map<string, number[]>();
  for (const loop of loops) {
    if (names && !names.includes(loop.name)) continue;
    byName.set(loop.name, [...(byName.get(loop.name) ?? []), loop.ms]);
  }
  return [...byName].map(([name, values]) => ({
    name,
    runs: values.length,
    medianMs: median(values),
    bestMs: Math.min(...values),
  }));
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export interface ChartOptions {
  /** Longest bar in characters. */
  barWidth?: number;
  names?: string[];
}

export function drawLoopChart(loops: LoopMeasurement[], options: ChartOptions = {}): string {
  const summaries = summarizeLoops(loops, options.names);
  if (summaries.length === 0) return style.dim('No feedback loops measured yet: they appear here as you work through the labs.');
  const barWidth = options.barWidth ?? 40;
  const slowest = Math.max(...summaries.map((s) => s.medianMs));
  const labelWidth = Math.max(...summaries.map((s) => s.name.length));
  const lines = summaries.map((s) => {
    // Linear scale on purpose: a one-character bar next to a full one is the lesson. Never zero.
    const length = Math.max(1, Math.round((s.medianMs / Math.max(slowest, 1)) * barWidth));
    const bar = s.medianMs === slowest ? style.red('█'.repeat(length)) : style.green('█'.repeat(length));
    const runs = s.runs > 1 ? style.dim(`  (${s.runs} runs, best ${formatDuration(s.bestMs)})`) : '';
    return `${s.name.padStart(labelWidth)} ${padEnd(bar, barWidth)} ${formatDuration(s.medianMs)}${runs}`;
  });
  const fastest = summaries.reduce((a, b) => (b.medianMs < a.medianMs ? b : a));
  const slow = summaries.reduce((a, b) => (b.medianMs > a.medianMs ? b : a));
  if (fastest !== slow && fastest.medianMs > 0) {
    const factor = slow.medianMs / fastest.medianMs;
    lines.push('', `${style.bold(fastest.name)} is ${style.bold(`${factor >= 10 ? Math.round(factor) : factor.toFixed(1)}×`)} faster than ${slow.name}.`);
  }
  return lines.join('\n');
}
