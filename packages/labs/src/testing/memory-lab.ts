// A lab that lives in memory, one step of every kind, and helpers to drive the interactive
// runner's state through events: for the state and render tests, which need no terminal.
import { defineLab } from '../model/define';
import type { ActionTask, LoadedLab } from '../model/types';
import type { RunnerEvent } from '../run/interactive/events';
import { type RunnerState, type Transition, update } from '../run/interactive/state';

export function fixtureLab(options: { prepare?: ActionTask[] } = {}): LoadedLab {
  const lab = defineLab({
    title: 'Greetings',
    summary: 'A lab in **memory**.',
    ...(options.prepare ? { prepare: options.prepare } : {}),
    steps: [
      { kind: 'text', title: 'Welcome', body: 'This lab changes one word.' },
      { kind: 'action', title: 'Warm up', tasks: [{ title: 'Count the files', run: () => Promise.resolve('4 files') }] },
      {
        kind: 'task',
        title: 'Say hello',
        body: 'Make greeting.txt say hello.',
        watch: ['greeting.txt'],
        loop: 'edit+check',
        check: () => ({ ok: true, message: 'unused here' }),
        hints: ['Open greeting.txt.', 'Replace bye with hello.'],
        solution: { edits: [{ file: 'greeting.txt', find: 'bye', replace: 'hello' }] },
      },
      { kind: 'chart', title: 'Your loops', body: 'Your feedback loops so far.' },
    ],
  });
  return { number: 1, name: '01-greetings', dir: '/repo/labs/01-greetings', lab };
}

/** Applies events one after the other; the effects of every transition, in order. */
export function drive(state: RunnerState, ...events: RunnerEvent[]): Transition {
  const effects: Transition['effects'] = [];
  for (const event of events) {
    const next = update(state, event);
    state = next.state;
    effects.push(...next.effects);
  }
  return { state, effects };
}

export const key = (name: Extract<RunnerEvent, { type: 'key' }>['key']): RunnerEvent => ({ type: 'key', key: name });
export const entered = (index: number, skip: string | null = null): RunnerEvent => ({ type: 'entered', index, skip, hintsShown: 0, loops: [] });
export const checked = (index: number, ok: boolean, extra: { savedAt?: number; at?: number; output?: string } = {}): RunnerEvent => ({
  type: 'checked',
  index,
  outcome: { ok, message: ok ? 'greeting.txt says hello' : 'greeting.txt says bye world', ms: 12, ...(extra.output ? { output: extra.output } : {}) },
  savedAt: extra.savedAt,
  at: extra.at ?? 0,
});
