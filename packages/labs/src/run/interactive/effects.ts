// Does the work transitions ask for (checks, tasks, file watching, git, the progress file) and
// reports each result back as an event.
import { restoreFromGit } from '../../files/edits';
import { watchFiles } from '../../files/watch';
import type { ActionTask, TaskStep } from '../../model/types';
import { describeFailure } from '../../shell/shell';
import { runTasks, type TaskProgress } from '../actions';
import { runCheck } from '../check';
import type { Session } from '../session';
import { skipReason } from '../skip';
import type { Effect, RunnerEvent } from './events';

export interface EffectRunner {
  run(effect: Effect): void;
  /** Stops watching files and aborts the work still running (the learner quit). */
  stop(): void;
}

export function createEffectRunner(session: Session, emit: (event: RunnerEvent) => void): EffectRunner {
  const { loaded, store, ctx } = session;
  const stepAt = (index: number) => loaded.lab.steps[index];
  let stopWatching: (() => void) | undefined;
  const unwatch = () => {
    stopWatching?.();
    stopWatching = undefined;
  };
  const progress: TaskProgress = {
    started: (title) => emit({ type: 'task-started', title, at: Date.now() }),
    log: (line) => emit({ type: 'log', line }),
    finished: (outcome) => emit({ type: 'task-finished', outcome }),
  };
  const tasks = async (list: ActionTask[]) => {
    const outcomes = await runTasks(list, ctx, session.sink, session.toolbox, progress);
    emit({ type: 'tasks-finished', ok: outcomes.every((o) => o.status !== 'failed') });
  };

  const work = async (effect: Effect): Promise<void> => {
    switch (effect.type) {
      case 'prepare':
        return tasks(loaded.lab.prepare ?? []);
      case 'enter':
        unwatch();
        return emit(await enterStep(session, effect.index));
      case 'watch':
        unwatch();
        stopWatching = watchFiles(ctx.repoRoot, effect.files, (at) => emit({ type: 'saved', index: effect.index, at }));
        return;
      case 'check': {
        ctx.savedAt = effect.savedAt;
        const outcome = await runCheck(stepAt(effect.index) as TaskStep, ctx);
        return emit({ type: 'checked', index: effect.index, outcome, savedAt: effect.savedAt, at: Date.now() });
      }
      case 'run-actions': {
        const step = stepAt(effect.index);
        return tasks(step.kind === 'action' ? step.tasks : []);
      }
      case 'restore':
        return restoreFromGit(ctx.$, effect.files).then(
          () => emit({ type: 'restored', index: effect.index, files: effect.files }),
          (error: unknown) => emit({ type: 'restored', index: effect.index, files: effect.files, error: describeFailure(error).reason }),
        );
      default:
        return recordProgress(session, effect);
    }
  };

  return {
    run: (effect) => void work(effect).catch((error: unknown) => emit({ type: 'crashed', reason: describeFailure(error).reason })),
    stop() {
      unwatch();
      session.abort.abort();
      store.quit();
    },
  };
}

/** Marks the step current in the progress file and says whether it can run here. */
async function enterStep(session: Session, index: number): Promise<RunnerEvent> {
  const { loaded, store, ctx } = session;
  const step = loaded.lab.steps[index];
  store.enterStep(loaded.number, step.id);
  const skip = step.kind === 'task' ? await skipReason(session.toolbox, ctx, step) : null;
  return { type: 'entered', index, skip, hintsShown: store.step(loaded.number, step.id).hintsShown ?? 0, loops: [...ctx.loops()] };
}

function recordProgress({ loaded, store, ctx }: Session, effect: Effect): void {
  const lab = loaded.number;
  if (effect.type === 'record-check') store.recordCheck(lab, effect.step, effect.ok, effect.message);
  if (effect.type === 'record-loop') ctx.recordLoop(effect.name, effect.ms);
  if (effect.type === 'hint-shown') store.hintShown(lab, effect.step, effect.count);
  if (effect.type === 'complete-step') store.completeStep(lab, effect.step);
  if (effect.type === 'complete-lab') store.completeLab(lab);
}
