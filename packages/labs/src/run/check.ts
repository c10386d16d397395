import type { LabContext, TaskStep } from '../model/types';
import { describeFailure } from '../shell/shell';

export interface CheckOutcome {
  ok: boolean;
  message: string;
  ms: number;
  /** Output of a command the check ran and that failed. */
  output?: string;
}

const DEFAULT_TIMEOUT_MS = 30_000;

/** Runs a step's check; a throw or a timeout is a failed check with its reason, never a crash. */
export async function runCheck(step: TaskStep, ctx: LabContext): Promise<CheckOutcome> {
  const started = performance.now();
  const timeoutMs = step.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`the check did not finish within ${timeoutMs / 1000} s`)), timeoutMs);
  });
  try {
    const result = await Promise.race([Promise.resolve().then(() => step.check(ctx)), timeout]);
    return { ok: Boolean(result.ok), message: result.message, ms: performance.now() - started };
  } catch (error) {
    const failure = describeFailure(error);
    return { ok: false, message: failure.reason, ms: performance.now() - started, ...(failure.output ? { output: failure.output } : {}) };
  } finally {
    clearTimeout(timer);
  }
}
