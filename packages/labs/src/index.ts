// What a lab author imports in labs/NN-name/lab.ts.
export { drawLoopChart, summarizeLoops } from './loops/chart';
export { defineLab, LabDefinitionError } from './model/define';
export type { ActionTask, Backend, CheckResult, Edit, Lab, LabContext, LabInput, SkipIf, Step, StepInput, TaskStep, Tool } from './model/types';
export { formatDuration } from './render/duration';
export type { LoopMeasurement } from './state/progress';

/** Check results, so checks read as sentences: `return pass('banner is red')`. */
export const pass = (message: string) => ({ ok: true, message });
export const fail = (message: string) => ({ ok: false, message });
