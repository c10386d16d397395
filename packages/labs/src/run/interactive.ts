// The learner's runner, rustlings-style: one step on screen, the check re-runs on every save
// (and on "c"), hints one at a time, reset from git, next once passed, quit keeps progress.
// One loop: take an event (interactive/events.ts), compute the next state (interactive/state.ts),
// draw it (interactive/render.ts), start the work it asks for (interactive/effects.ts).
import type { LoadedLab } from '../model/types';
import { progressFile, ProgressStore } from '../state/progress';
import { createEffectRunner } from './interactive/effects';
import type { RunnerEvent } from './interactive/events';
import { listenForKeys } from './interactive/keys';
import { EventQueue } from './interactive/queue';
import { renderExit, renderScreen } from './interactive/render';
import { createScreen } from './interactive/screen';
import { startRunner, update } from './interactive/state';
import { openSession } from './session';

export interface InteractiveOptions {
  repoRoot: string;
  offline: boolean;
  stdin?: NodeJS.ReadStream;
  stdout?: NodeJS.WriteStream;
}

const TICK_MS = 100;

export async function runInteractive(loaded: LoadedLab, options: InteractiveOptions): Promise<number> {
  const stdout = options.stdout ?? process.stdout;
  const events = new EventQueue<RunnerEvent>();
  const emit = (event: RunnerEvent) => events.push(event);
  const store = new ProgressStore(progressFile(options.repoRoot));
  const out = { write: (text: string) => void stdout.write(text), isTTY: true };
  const session = openSession(loaded, {
    repoRoot: options.repoRoot,
    store,
    mode: 'interactive',
    offline: options.offline,
    out,
    log: (line) => emit({ type: 'log', line }),
  });
  const effects = createEffectRunner(session, emit);
  const keys = listenForKeys(options.stdin ?? process.stdin, (key) => emit({ type: 'key', key }));
  const screen = createScreen(stdout);
  const ticker = repeating(() => emit({ type: 'tick', at: Date.now() }), TICK_MS);

  let { state, effects: work } = startRunner(loaded, resumeIndex(loaded, store), Date.now());
  try {
    for (;;) {
      screen.draw(renderScreen(state));
      work.forEach((effect) => effects.run(effect));
      if (state.exit) break;
      // The spinner of a running task turns on timer events, only while one runs.
      ticker.set(state.running !== null);
      ({ state, effects: work } = update(state, await events.next()));
    }
  } finally {
    ticker.set(false);
    effects.stop();
    keys.close();
  }
  stdout.write(`\n${renderExit(state, state.exit)}\n`);
  return state.exit.code;
}

/** The step this lab was left at, or -1 when it was not the lab in progress. */
function resumeIndex(loaded: LoadedLab, store: ProgressStore): number {
  const current = store.data.current;
  return current?.lab === loaded.number ? loaded.lab.steps.findIndex((step) => step.id === current.step) : -1;
}

/** A timer that can be switched on and off, idempotently. */
function repeating(fire: () => void, everyMs: number): { set(on: boolean): void } {
  let timer: NodeJS.Timeout | undefined;
  return {
    set(on) {
      if (on && !timer) timer = setInterval(fire, everyMs);
      if (!on && timer) {
        clearInterval(timer);
        timer = undefined;
      }
    },
  };
}
