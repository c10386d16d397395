import { describe, expect, it } from 'vitest';
import { defineLab, filesOf, LabDefinitionError } from './define';
import type { TaskStepInput } from './types';

const task = (overrides: Partial<TaskStepInput> = {}): TaskStepInput => ({
  kind: 'task',
  title: 'Change the banner',
  body: 'Edit it.',
  watch: ['apps/catalog/src/banner.ts'],
  check: () => ({ ok: true, message: 'ok' }),
  hints: ['Look at the text.'],
  solution: {
    edits: [
      { file: 'apps/catalog/src/banner.ts', find: 'a', replace: 'b' },
      { file: 'apps/web/x.ts', find: 'c', replace: 'd' },
    ],
  },
  ...overrides,
});

describe('defineLab', () => {
  it('gives each step a stable id from its title, keeping explicit ids', () => {
    const lab = defineLab({ title: 'Lab', summary: 's', steps: [{ kind: 'text', title: 'What the Outer Loop is!', body: 'x' }, task({ id: 'banner' })] });
    expect(lab.steps.map((step) => step.id)).toEqual(['what-the-outer-loop-is', 'banner']);
    // Idempotent: loading a lab that already went through defineLab changes nothing.
    expect(defineLab(lab).steps.map((step) => step.id)).toEqual(['what-the-outer-loop-is', 'banner']);
  });

  it('refuses two steps with the same id, naming the step', () => {
    expect(() => defineLab({ title: 'Lab', summary: 's', steps: [task(), task()] })).toThrow(
      /step 2 \("Change the banner"\): step id "change-the-banner" is used twice/,
    );
  });

  it('refuses a task without a solution, since CI could not prove it', () => {
    expect(() => defineLab({ title: 'Lab', summary: 's', steps: [task({ solution: { edits: [] } })] })).toThrow(LabDefinitionError);
    expect(() => defineLab({ title: 'Lab', summary: 's', steps: [task({ watch: [] })] })).toThrow(/must watch at least one file/);
  });

  it('refuses a lab without steps and an unknown step kind', () => {
    expect(() => defineLab({ title: 'Lab', summary: 's', steps: [] })).toThrow(/has no steps/);
    expect(() => defineLab({ title: 'Lab', summary: 's', steps: [{ kind: 'quiz', title: 'Q' } as never] })).toThrow(/unknown kind "quiz"/);
  });

  it('lists every file a task touches once: watched and edited by the solution', () => {
    const lab = defineLab({ title: 'Lab', summary: 's', steps: [task()] });
    expect(filesOf(lab.steps[0])).toEqual(['apps/catalog/src/banner.ts', 'apps/web/x.ts']);
  });
});
