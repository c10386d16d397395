// README.md of a lab is generated from its lab.ts (the one source of truth), so GitHub readers
// and terminal learners read the same words. `verify` fails when a README is stale.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LoadedLab, Step } from '../model/types';

const TOOL_NAMES = { docker: 'a Docker engine', kind: 'kind', kubectl: 'kubectl', skaffold: 'Skaffold' } as const;

export const README_COMMAND = 'npm run labs:readme';

export function renderReadme({ number, lab }: LoadedLab): string {
  const parts = [
    `# Lab ${number}: ${lab.title}`,
    `<!-- Generated from lab.ts by \`${README_COMMAND}\`: edit lab.ts, not this file. -->`,
    lab.summary.trim(),
    `Run it with \`npm run lab:${number}\` (the terminal guides you, checks your work and measures your feedback loops).`,
    ...lab.steps.map((step, index) => renderStep(step, index + 1)),
  ];
  return `${parts.join('\n\n')}\n`;
}

function renderStep(step: Step, n: number): string {
  const parts = [`## ${n}. ${step.title}`];
  if (step.kind === 'text') parts.push(step.body.trim());
  if (step.kind === 'action') {
    if (step.body) parts.push(step.body.trim());
    parts.push(
      'The runner does this for you:',
      step.tasks.map((task) => `- ${task.title}${task.needs?.length ? ` (needs ${task.needs.map((t) => TOOL_NAMES[t]).join(', ')})` : ''}`).join('\n'),
    );
  }
  if (step.kind === 'task') {
    parts.push(step.body.trim(), `**Your turn:** edit ${step.watch.map((file) => `\`${file}\``).join(', ')}; the check runs each time you save.`);
    step.hints.forEach((hint, i) => parts.push(details(`Hint ${i + 1}`, hint.trim())));
    parts.push(
      details(
        'Solution',
        step.solution.edits.map((edit) => `In \`${edit.file}\`, replace\n\n${fence(edit.find)}\n\nwith\n\n${fence(edit.replace)}`).join('\n\n'),
      ),
    );
  }
  if (step.kind === 'chart') {
    if (step.body) parts.push(step.body.trim());
    parts.push('_In the terminal, a chart of the feedback loops you measured appears here._');
  }
  return parts.join('\n\n');
}

function details(summary: string, body: string): string {
  return `<details><summary>${summary}</summary>\n\n${body}\n\n</details>`;
}

function fence(code: string): string {
  const ticks = code.includes('```') ? '````' : '```';
  return `${ticks}\n${code.replace(/\n$/, '')}\n${ticks}`;
}

export function readmePath(loaded: LoadedLab): string {
  return join(loaded.dir, 'README.md');
}

/** Whether README.md on disk is what lab.ts generates. */
export function readmeIsFresh(loaded: LoadedLab): boolean {
  try {
    return readFileSync(readmePath(loaded), 'utf8') === renderReadme(loaded);
  } catch {
    return false;
  }
}
