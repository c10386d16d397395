import { describe, expect, it } from 'vitest';
import { stripAnsi } from '../render/style';
import { drawLoopChart, summarizeLoops } from './chart';

const at = '2026-01-01T00:00:00.000Z';

describe('drawLoopChart', () => {
  it('draws one bar per loop, longest for the slowest, with the learner’s numbers and the speed-up', () => {
    const chart = stripAnsi(
      drawLoopChart(
        [
          { name: 'rebuild+redeploy', ms: 40_000, at },
          { name: 'intercept', ms: 500, at },
          { name: 'skaffold sync', ms: 4_000, at },
        ],
        { barWidth: 40 },
      ),
    );
    const lines = chart.split('\n');
    const bar = (name: string) => (lines.find((line) => line.trimStart().startsWith(name))?.match(/█+/)?.[0] ?? '').length;
    expect(bar('rebuild+redeploy')).toBe(40);
    expect(bar('skaffold sync')).toBe(4);
    expect(bar('intercept')).toBe(1); // never zero: a loop measured is a loop shown
    expect(chart).toContain('40.0 s');
    expect(chart).toContain('500 ms');
    expect(chart).toContain('intercept is 80× faster than rebuild+redeploy.');
  });

  it('uses the median of repeated runs and says how many and the best', () => {
    const loops = [30_000, 50_000, 40_000].map((ms) => ({ name: 'rebuild+redeploy', ms, at }));
    expect(summarizeLoops(loops)).toEqual([{ name: 'rebuild+redeploy', runs: 3, medianMs: 40_000, bestMs: 30_000 }]);
    expect(stripAnsi(drawLoopChart(loops))).toContain('40.0 s  (3 runs, best 30.0 s)');
  });

  it('shows only the loops asked for, and says so when none were measured', () => {
    const loops = [
      { name: 'intercept', ms: 300, at },
      { name: 'skaffold sync', ms: 3000, at },
    ];
    expect(stripAnsi(drawLoopChart(loops, { names: ['intercept'] }))).not.toContain('skaffold');
    expect(stripAnsi(drawLoopChart([]))).toMatch(/No feedback loops measured yet/);
  });
});
