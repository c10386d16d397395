// Everything the interactive runner reacts to, as one type: the learner's keys, file saves, the
// results of the work it started (checks, tasks, a reset from git) and the spinner's timer.
import type { LoopMeasurement } from '../../state/progress';
import type { TaskOutcome } from '../actions';
import type { CheckOutcome } from '../check';

export type Key = 'next' | 'hint' | 'check' | 'reset' | 'quit';

export type RunnerEvent =
  | { type: 'key'; key: Key }
  /** A watched file of step `index` was saved (a debounced burst; `at` is its first change). */
  | { type: 'saved'; index: number; at: number }
  /** The spinner's timer, every 100 ms while a task runs. */
  | { type: 'tick'; at: number }
  /** Step `index` is ready to show: why it is skipped here (if it is), and what progress remembers. */
  | { type: 'entered'; index: number; skip: string | null; hintsShown: number; loops: LoopMeasurement[] }
  | { type: 'checked'; index: number; outcome: CheckOutcome; savedAt: number | undefined; at: number }
  | { type: 'restored'; index: number; files: string[]; error?: string }
  | { type: 'task-started'; title: string; at: number }
  | { type: 'task-finished'; outcome: TaskOutcome }
  /** A line a task or check logged. */
  | { type: 'log'; line: string }
  /** The prepare tasks or the current action step's tasks are through; ok when none failed. */
  | { type: 'tasks-finished'; ok: boolean }
  /** Work the runner started threw where nothing should (a bug, a broken lab module). */
  | { type: 'crashed'; reason: string };

/** Work a transition asks the runner to do; its results come back as events. */
export type Effect =
  | { type: 'prepare' }
  /** Stops watching the previous step's files, marks step `index` current, asks whether it can run here. */
  | { type: 'enter'; index: number }
  | { type: 'watch'; index: number; files: string[] }
  | { type: 'check'; index: number; savedAt: number | undefined }
  | { type: 'run-actions'; index: number }
  | { type: 'restore'; index: number; files: string[] }
  | { type: 'record-check'; step: string; ok: boolean; message: string }
  | { type: 'record-loop'; name: string; ms: number }
  | { type: 'hint-shown'; step: string; count: number }
  | { type: 'complete-step'; step: string }
  | { type: 'complete-lab' };
