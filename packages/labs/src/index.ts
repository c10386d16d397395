// What a lab author imports in labs/NN-name/lab.ts.
export { defineLab, LabDefinitionError } from './model/define';
export type {
  ActionTask,
  Backend,
  CheckResult,
  Edit,
  Lab,
  LabContext,
  LabInput,
  SkipIf,
  Step,
  StepInput,
  TaskStep,
  Tool,
} from './model/types';
export { drawLoopChart, summarizeLoops } from './loops/chart';
export type { LoopMeasurement } from './state/progress';
export { formatDuration } from './render/duration';

/** Check results, so checks read as sentences: `return pass('banner is red')`. */
export const pass = (message: string) => ({ ok: true, message });
export const fail = (message: string) => ({ ok: false, message });
