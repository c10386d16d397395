import type { LabContext, SkipIf, Tool } from '../model/types';
import type { Toolbox } from './toolbox';

/** Why a task or step is skipped here: a missing tool first, then the lab's own precondition. */
export async function skipReason(toolbox: Toolbox, ctx: LabContext, item: { needs?: Tool[]; skipIf?: SkipIf }): Promise<string | null> {
  return (await toolbox.missing(item.needs)) ?? (await item.skipIf?.(ctx)) ?? null;
}
