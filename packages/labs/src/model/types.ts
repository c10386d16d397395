import type { Shell } from '../shell/shell';
import type { LoopMeasurement } from '../state/progress';

/** External tools a step may need; a step whose tools are missing is skipped with the reason. */
export type Tool = 'docker' | 'kind' | 'kubectl' | 'skaffold';

export type Backend = 'kind' | 'sim';

export interface CheckResult {
  ok: boolean;
  message: string;
}

/** A solution edit: replace the first occurrence of `find` in a repo-relative file. */
export interface Edit {
  file: string;
  find: string;
  replace: string;
}

/** What every check, action and hook receives. */
export interface LabContext {
  /** Root of the repository (paths in `watch` and edits are relative to it). */
  repoRoot: string;
  labDir: string;
  labNumber: number;
  mode: 'interactive' | 'ci';
  /** zx shell bound to the repo root, quiet: failures show their output under the step. */
  $: Shell;
  /** A line shown under the running step. */
  log(line: string): void;
  /** Keep a measured feedback loop (e.g. "rebuild+redeploy") for the learner's chart. */
  recordLoop(name: string, ms: number): void;
  /** Run `fn`, keep its duration as a loop measurement, return its result. */
  timeLoop<T>(name: string, fn: () => Promise<T>): Promise<T>;
  loops(): LoopMeasurement[];
  /** Whether a tool is usable here (the Docker engine, not just its client). */
  has(tool: Tool): Promise<boolean>;
  /**
   * Where the lab's cluster lives: a kind cluster, or kube-sim (offline mode) when asked with
   * --offline or when this machine has no Docker engine and kind. The first call says which.
   */
  backend(): Promise<Backend>;
  /** When the watched file was saved for the change being checked (epoch ms), if known. */
  savedAt?: number;
  signal: AbortSignal;
}

/**
 * Why a task or step cannot run here (it is then reported as skipped with that reason, never as
 * passed), or null to run it. For preconditions that are not tools, e.g. a CLI command that has
 * not landed yet or a backend that cannot show the step.
 */
export type SkipIf = (ctx: LabContext) => Promise<string | null> | string | null;

export interface ActionTask {
  title: string;
  needs?: Tool[];
  skipIf?: SkipIf;
  /** May return a short result line shown after the task, e.g. "3 images loaded". */
  run(ctx: LabContext): Promise<string | void>;
}

interface StepBase {
  /** Stable id used in the progress file; defaults to a slug of the title. */
  id?: string;
  title: string;
}

export interface TextStepInput extends StepBase {
  kind: 'text';
  body: string;
}

export interface ActionStepInput extends StepBase {
  kind: 'action';
  body?: string;
  tasks: ActionTask[];
}

export interface TaskStepInput extends StepBase {
  kind: 'task';
  body: string;
  /** Repo-relative files the learner edits; saving one re-runs the check. */
  watch: string[];
  check(ctx: LabContext): Promise<CheckResult> | CheckResult;
  hints: string[];
  solution: { edits: Edit[] };
  needs?: Tool[];
  skipIf?: SkipIf;
  /** Name of the loop this step measures: from the save to the check passing. */
  loop?: string;
  /** Check time limit; a check that runs longer fails with that reason. */
  timeoutMs?: number;
}

export interface ChartStepInput extends StepBase {
  kind: 'chart';
  body?: string;
  /** Loop names to show; all measured loops when omitted. */
  loops?: string[];
}

export type StepInput = TextStepInput | ActionStepInput | TaskStepInput | ChartStepInput;
export type Step = StepInput & { id: string };
export type TaskStep = TaskStepInput & { id: string };

export interface LabInput {
  title: string;
  /** Markdown shown before the first step and at the top of README.md. */
  summary: string;
  /** Idempotent tasks that bring the cluster to the state this lab needs; run at every start. */
  prepare?: ActionTask[];
  steps: StepInput[];
  /** Restores the lab's cluster state on `lab:reset` (files are restored from git by the runner). */
  resetCluster?(ctx: LabContext): Promise<void>;
}

export interface Lab extends Omit<LabInput, 'steps'> {
  steps: Step[];
}

/** A lab as found on disk: labs/NN-name/lab.ts. */
export interface LoadedLab {
  number: number;
  name: string;
  dir: string;
  lab: Lab;
}
