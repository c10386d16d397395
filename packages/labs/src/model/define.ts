import { UserError } from '../errors';
import type { Lab, LabInput, Step, StepInput } from './types';

/** A mistake in a lab.ts, reported as one line naming the lab and step. */
export class LabDefinitionError extends UserError {}

export function slugify(title: string): string {
  return title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

/** Validates a lab and gives every step a stable id; the default export of each lab.ts. */
export function defineLab(input: LabInput): Lab {
  if (!input.title?.trim()) throw new LabDefinitionError('a lab needs a title');
  if (!Array.isArray(input.steps) || input.steps.length === 0) throw new LabDefinitionError(`lab "${input.title}" has no steps`);
  const seen = new Set<string>();
  const steps = input.steps.map((step, index) => {
    const where = `lab "${input.title}", step ${index + 1} ("${step.title ?? ''}")`;
    const id = step.id ?? slugify(step.title ?? '');
    if (!id) throw new LabDefinitionError(`${where}: a step needs a title`);
    if (seen.has(id)) throw new LabDefinitionError(`${where}: step id "${id}" is used twice; give one an explicit id`);
    seen.add(id);
    validateStep(step, where);
    return { ...step, id };
  });
  return { ...input, steps };
}

function validateStep(step: StepInput, where: string): void {
  if (!['text', 'action', 'task', 'chart'].includes(step.kind)) {
    throw new LabDefinitionError(`${where}: unknown kind "${String(step.kind)}" (text, action, task or chart)`);
  }
  if (step.kind === 'task') {
    if (!step.watch?.length) throw new LabDefinitionError(`${where}: a task must watch at least one file`);
    if (!step.solution?.edits?.length) throw new LabDefinitionError(`${where}: a task needs a solution (edits) so CI can prove it`);
    if (typeof step.check !== 'function') throw new LabDefinitionError(`${where}: a task needs a check function`);
  }
  if (step.kind === 'action' && !step.tasks?.length) throw new LabDefinitionError(`${where}: an action step needs tasks`);
}

/** Files a task step touches: what reset restores and what verify reverts. */
export function filesOf(step: Step): string[] {
  if (step.kind !== 'task') return [];
  return [...new Set([...step.watch, ...step.solution.edits.map((edit) => edit.file)])];
}
