// Percentiles for the benchmarks' JSON: nearest rank, so every figure is one that was measured.
export const percentile = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.max(0, Math.ceil((p / 100) * values.length) - 1)];
/** p50 and p95 of `values`, rounded to whole milliseconds. */
export const stats = (values: number[]) => ({ p50: Math.round(percentile(values, 50)), p95: Math.round(percentile(values, 95)) });
/** To the microsecond, for figures in ms that are fractions of a millisecond. */
export const round3 = (value: number) => Math.round(value * 1000) / 1000;
