// The interactive runner's state and its transitions: pure functions from (state, event) to the
// next state and the work to start. No terminal, no files, no clock: the events carry the times.
import { filesOf } from '../../model/define';
import type { LoadedLab, Step, TaskStep } from '../../model/types';
import type { LoopMeasurement } from '../../state/progress';
import type { TaskOutcome } from '../actions';
import type { CheckOutcome } from '../check';
import type { Effect, Key, RunnerEvent } from './events';

/** preparing: the lab's prepare tasks run; entering: a step is being set up; working: an action step's tasks run. */
export type Phase = 'preparing' | 'entering' | 'working' | 'ready';

export type Notice =
  | { kind: 'resumed'; step: number }
  | { kind: 'loop'; name: string; ms: number }
  | { kind: 'not-done' }
  | { kind: 'no-more-hints' }
  | { kind: 'restored'; files: string[] }
  | { kind: 'reset-failed'; reason: string };

export type FeedItem = { kind: 'log'; line: string } | { kind: 'task'; outcome: TaskOutcome };

export interface Exit {
  code: number;
  kind: 'quit' | 'complete' | 'prepare-failed' | 'crashed';
  reason?: string;
}

export interface RunnerState {
  loaded: LoadedLab;
  phase: Phase;
  index: number;
  /** The step may be left with n: its check passed once, its tasks succeeded, or it has nothing to do. */
  done: boolean;
  /** Why this task step cannot run here; it is then done without a check. */
  skip: string | null;
  hintsShown: number;
  check: { running: boolean; queued: { savedAt: number | undefined } | null; last: CheckOutcome | null };
  /** Lines the running check logged. */
  logs: string[];
  /** What the prepare or action tasks did so far, in order. */
  feed: FeedItem[];
  running: { title: string; startedAt: number } | null;
  /** The measured loops, for a chart step. */
  loops: LoopMeasurement[];
  notice: Notice | null;
  now: number;
  exit: Exit | null;
}

export interface Transition {
  state: RunnerState;
  effects: Effect[];
}

const stay = (state: RunnerState): Transition => ({ state, effects: [] });

/** What a step starts from when it is entered. */
function freshStep(): Pick<RunnerState, 'done' | 'skip' | 'hintsShown' | 'check' | 'logs' | 'feed' | 'running' | 'loops'> {
  return { done: false, skip: null, hintsShown: 0, check: { running: false, queued: null, last: null }, logs: [], feed: [], running: null, loops: [] };
}

export function currentStep(state: RunnerState): Step {
  return state.loaded.lab.steps[state.index];
}

/** The first state: prepare the cluster when the lab asks for it, then the step to resume at (-1: none). */
export function startRunner(loaded: LoadedLab, resumeAt: number, now: number): Transition {
  const index = Math.max(0, resumeAt);
  const preparing = Boolean(loaded.lab.prepare?.length);
  const state: RunnerState = {
    loaded,
    phase: preparing ? 'preparing' : 'entering',
    index,
    ...freshStep(),
    notice: resumeAt > 0 ? { kind: 'resumed', step: resumeAt } : null,
    now,
    exit: null,
  };
  return { state, effects: [preparing ? { type: 'prepare' } : { type: 'enter', index }] };
}

export function update(state: RunnerState, event: RunnerEvent): Transition {
  if (state.exit) return stay(state);
  switch (event.type) {
    case 'key':
      return onKey(state, event.key);
    case 'saved':
      return event.index === state.index && checkable(state) ? requestCheck(state, event.at) : stay(state);
    case 'tick':
      return stay({ ...state, now: event.at });
    case 'entered':
      return onEntered(state, event);
    case 'checked':
      return onChecked(state, event);
    case 'restored':
      if (event.index !== state.index) return stay(state);
      return requestCheck(
        { ...state, notice: event.error ? { kind: 'reset-failed', reason: event.error } : { kind: 'restored', files: event.files } },
        undefined,
      );
    case 'task-started':
      return stay({ ...state, running: { title: event.title, startedAt: event.at }, now: event.at });
    case 'task-finished':
      return stay({ ...state, running: null, feed: [...state.feed, { kind: 'task', outcome: event.outcome }] });
    case 'log':
      return stay(logged(state, event.line));
    case 'tasks-finished':
      return onTasksFinished(state, event.ok);
    case 'crashed':
      return stay({ ...state, exit: { code: 1, kind: 'crashed', reason: event.reason } });
  }
}

/** A task step's check logs under its result; tasks log between their lines. */
function logged(state: RunnerState, line: string): RunnerState {
  if (state.phase !== 'preparing' && currentStep(state).kind === 'task') return { ...state, logs: [...state.logs, line] };
  return { ...state, feed: [...state.feed, { kind: 'log', line }] };
}

/** A task step on screen that can run its check here. */
function checkable(state: RunnerState): boolean {
  return state.phase === 'ready' && currentStep(state).kind === 'task' && !state.skip;
}

function onKey(state: RunnerState, key: Key): Transition {
  if (key === 'quit') return stay({ ...state, exit: { code: 0, kind: 'quit' } });
  if (state.phase === 'preparing' || state.phase === 'entering') return stay(state);
  const step = currentStep(state);
  if (key === 'next') return next(state, step);
  // Run again after a failure: the screen shows the new run only.
  if (step.kind === 'action') return key === 'check' && state.phase === 'ready' && !state.done ? runActions({ ...state, feed: [] }) : stay(state);
  if (step.kind !== 'task' || !checkable(state)) return stay(state);
  if (key === 'check') return requestCheck(state, undefined);
  if (key === 'reset') return { state, effects: [{ type: 'restore', index: state.index, files: filesOf(step) }] };
  return showHint(state, step);
}

/** n: on to the next step once this one is done; after the last step the lab is complete. */
function next(state: RunnerState, step: Step): Transition {
  if (!state.done) return stay({ ...state, notice: { kind: 'not-done' } });
  // A task step is completed by its passing check; the others by moving on.
  const effects: Effect[] = step.kind === 'task' ? [] : [{ type: 'complete-step', step: step.id }];
  const index = state.index + 1;
  if (index >= state.loaded.lab.steps.length)
    return { state: { ...state, exit: { code: 0, kind: 'complete' } }, effects: [...effects, { type: 'complete-lab' }] };
  // The loop just measured stays in view beside the next step; other notices were about this one.
  const notice = state.notice?.kind === 'loop' && step.kind === 'task' ? state.notice : null;
  return { state: { ...state, ...freshStep(), index, phase: 'entering', notice }, effects: [...effects, { type: 'enter', index }] };
}

function onEntered(state: RunnerState, event: Extract<RunnerEvent, { type: 'entered' }>): Transition {
  if (event.index !== state.index || state.phase !== 'entering') return stay(state);
  const step = currentStep(state);
  const entered: RunnerState = { ...state, phase: 'ready', hintsShown: event.hintsShown, loops: event.loops };
  if (step.kind === 'action') return runActions(entered);
  if (step.kind !== 'task') return stay({ ...entered, done: true });
  // Nothing to check here (a missing tool or precondition): say why, and let the learner move on.
  if (event.skip) return stay({ ...entered, skip: event.skip, done: true });
  const checking = requestCheck(entered, undefined);
  return { state: checking.state, effects: [{ type: 'watch', index: state.index, files: step.watch }, ...checking.effects] };
}

/** Runs the check now, or once the running one is through (a save while checking is not lost). */
function requestCheck(state: RunnerState, savedAt: number | undefined): Transition {
  if (state.check.running) return stay({ ...state, check: { ...state.check, queued: { savedAt } } });
  return { state: { ...state, logs: [], check: { ...state.check, running: true } }, effects: [{ type: 'check', index: state.index, savedAt }] };
}

function onChecked(state: RunnerState, event: Extract<RunnerEvent, { type: 'checked' }>): Transition {
  // A check of a step the learner has left: its result no longer matters.
  if (event.index !== state.index || !state.check.running) return stay(state);
  const step = currentStep(state) as TaskStep;
  const { outcome } = event;
  const effects: Effect[] = [{ type: 'record-check', step: step.id, ok: outcome.ok, message: outcome.message }];
  let checked: RunnerState = { ...state, check: { running: false, queued: null, last: outcome } };
  if (outcome.ok) {
    // Once passed, the step may be left even if a later save breaks it again.
    checked = { ...checked, done: true, notice: state.notice?.kind === 'not-done' ? null : state.notice };
    if (step.loop && event.savedAt !== undefined) {
      const ms = event.at - event.savedAt;
      effects.push({ type: 'record-loop', name: step.loop, ms });
      checked.notice = { kind: 'loop', name: step.loop, ms };
    }
  }
  if (!state.check.queued) return { state: checked, effects };
  const again = requestCheck(checked, state.check.queued.savedAt);
  return { state: again.state, effects: [...effects, ...again.effects] };
}

function runActions(state: RunnerState): Transition {
  return { state: { ...state, phase: 'working' }, effects: [{ type: 'run-actions', index: state.index }] };
}

function onTasksFinished(state: RunnerState, ok: boolean): Transition {
  if (state.phase === 'preparing') {
    if (!ok) return stay({ ...state, exit: { code: 1, kind: 'prepare-failed' } });
    return { state: { ...state, ...freshStep(), phase: 'entering' }, effects: [{ type: 'enter', index: state.index }] };
  }
  if (state.phase !== 'working') return stay(state);
  const finished: RunnerState = { ...state, phase: 'ready', done: ok, notice: ok && state.notice?.kind === 'not-done' ? null : state.notice };
  return { state: finished, effects: ok ? [{ type: 'complete-step', step: currentStep(state).id }] : [] };
}

function showHint(state: RunnerState, step: TaskStep): Transition {
  if (state.hintsShown >= step.hints.length) return stay({ ...state, notice: { kind: 'no-more-hints' } });
  const hintsShown = state.hintsShown + 1;
  return { state: { ...state, hintsShown, notice: null }, effects: [{ type: 'hint-shown', step: step.id, count: hintsShown }] };
}
