// Learner progress in a git-ignored JSON file (.ffk/labs/progress.json): where they are, what they
// finished and when, and every feedback loop they measured. CI runs keep it in memory instead.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { UserError } from '../errors';

export interface LoopMeasurement {
  name: string;
  ms: number;
  /** ISO timestamp. */
  at: string;
  lab?: number;
}

export interface StepProgress {
  startedAt: string;
  completedAt?: string;
  lastCheck?: { ok: boolean; message: string; at: string };
  hintsShown?: number;
}

export interface LabProgress {
  startedAt: string;
  completedAt?: string;
  steps: Record<string, StepProgress>;
}

export interface Progress {
  version: 1;
  current?: { lab: number; step: string; at: string };
  /** When the learner last left the runner (q or Ctrl-C). */
  lastQuitAt?: string;
  labs: Record<string, LabProgress>;
  loops: LoopMeasurement[];
}

export function progressFile(repoRoot: string): string {
  return join(repoRoot, '.ffk', 'labs', 'progress.json');
}

const now = () => new Date().toISOString();

export class ProgressStore {
  readonly data: Progress;

  /** `file` null keeps everything in memory (CI and verify must not touch a learner's progress). */
  constructor(private readonly file: string | null) {
    this.data = file ? load(file) : empty();
  }

  lab(lab: number): LabProgress {
    return (this.data.labs[lab] ??= { startedAt: now(), steps: {} });
  }

  step(lab: number, step: string): StepProgress {
    return (this.lab(lab).steps[step] ??= { startedAt: now() });
  }

  enterStep(lab: number, step: string): void {
    this.step(lab, step);
    this.data.current = { lab, step, at: now() };
    this.save();
  }

  recordCheck(lab: number, step: string, ok: boolean, message: string): void {
    const entry = this.step(lab, step);
    entry.lastCheck = { ok, message, at: now() };
    if (ok) entry.completedAt ??= now();
    this.save();
  }

  completeStep(lab: number, step: string): void {
    this.step(lab, step).completedAt ??= now();
    this.save();
  }

  hintShown(lab: number, step: string, count: number): void {
    this.step(lab, step).hintsShown = count;
    this.save();
  }

  completeLab(lab: number): void {
    this.lab(lab).completedAt = now();
    this.save();
  }

  resetLab(lab: number): void {
    delete this.data.labs[lab];
    if (this.data.current?.lab === lab) delete this.data.current;
    this.save();
  }

  recordLoop(name: string, ms: number, lab?: number): LoopMeasurement {
    const measurement = { name, ms: Math.round(ms), at: now(), ...(lab === undefined ? {} : { lab }) };
    this.data.loops.push(measurement);
    this.save();
    return measurement;
  }

  quit(): void {
    this.data.lastQuitAt = now();
    this.save();
  }

  /** Atomic write: a crash mid-write never leaves half a file behind. */
  save(): void {
    if (!this.file) return;
    mkdirSync(dirname(this.file), { recursive: true });
    const temp = `${this.file}.${process.pid}.tmp`;
    writeFileSync(temp, `${JSON.stringify(this.data, null, 2)}\n`);
    renameSync(temp, this.file);
  }
}

function empty(): Progress {
  return { version: 1, labs: {}, loops: [] };
}

function load(file: string): Progress {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return empty();
  }
  try {
    const parsed = JSON.parse(text) as Partial<Progress>;
    return { ...empty(), ...parsed, version: 1 };
  } catch {
    throw new UserError(`${file} is not valid JSON: fix it or delete it to start your progress afresh`);
  }
}
