// Labs live in <repo>/labs/NN-name/lab.ts. Listing reads directory names only; a lab's module is
// imported when it is run, so `npm run lab:3` does not load the other five.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { UserError } from '../errors';
import { defineLab } from './define';
import type { Lab, LabInput, LoadedLab } from './types';

export interface LabEntry {
  number: number;
  name: string;
  dir: string;
}

const LAB_DIR = /^(\d{2})-([a-z0-9-]+)$/;

export function listLabs(repoRoot: string): LabEntry[] {
  const root = join(repoRoot, 'labs');
  if (!existsSync(root)) return [];
  return readdirSync(root, { withFileTypes: true })
    .flatMap((entry) => {
      const match = LAB_DIR.exec(entry.name);
      const dir = join(root, entry.name);
      return match && entry.isDirectory() && existsSync(join(dir, 'lab.ts')) ? [{ number: Number(match[1]), name: match[2], dir }] : [];
    })
    .sort((a, b) => a.number - b.number);
}

export function findLab(repoRoot: string, number: number): LabEntry {
  const labs = listLabs(repoRoot);
  const entry = labs.find((lab) => lab.number === number);
  if (!entry) {
    const available = labs.length ? `available: ${labs.map((lab) => lab.number).join(', ')}` : `no labs found under ${join(repoRoot, 'labs')}`;
    throw new UserError(`There is no lab ${number} (${available}); \`npm run labs\` lists them.`);
  }
  return entry;
}

export async function loadLab(entry: LabEntry): Promise<LoadedLab> {
  const module = (await import(pathToFileURL(join(entry.dir, 'lab.ts')).href)) as { default?: Lab | LabInput };
  if (!module.default) throw new UserError(`${join(entry.dir, 'lab.ts')} has no default export: end it with \`export default defineLab({...})\`.`);
  // defineLab is idempotent, so a lab that skipped it is still validated.
  return { ...entry, lab: defineLab(module.default) };
}

export function parseLabNumber(text: string | undefined): number {
  if (text === undefined || !/^\d{1,2}$/.test(text))
    throw new UserError(`Expected a lab number such as 3, got ${text === undefined ? 'nothing' : JSON.stringify(text)}.`);
  return Number(text);
}
