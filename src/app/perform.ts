import type { Steps } from '../sheet/index.ts';
import { InputError } from '../sheet/index.ts';
import { byId } from './dom.ts';
import { runSteps } from './jobs.ts';
import type { Say } from './messages.ts';
import type { Session } from './session.ts';

export interface Performer {
  /**
   * Runs a long job with a progress bar, the page staying responsive, then `done` with its
   * result; commands are refused meanwhile. On an `InputError` nothing was changed and its
   * message is shown.
   */
  readonly perform: <T>(title: string, steps: Steps<T>, done: (result: T) => void) => Promise<void>;
  /** True, with a message, while a job runs. */
  readonly refuseWhileBusy: () => boolean;
  /** Reset and Run act on an optimizer sheet, and wait while a job runs. */
  readonly syncButtons: () => void;
}

const controls = (): NodeListOf<HTMLButtonElement> =>
  document.querySelectorAll<HTMLButtonElement>('.controls button, form button');

/** Steps that end in a note to show: a job on the current workbook. */
export function* noted(steps: Steps, note: () => string): Steps<string> {
  yield* steps;
  return note();
}

/** The page's job runner; `afterJob` runs when a job has ended (a link typed meanwhile opens). */
export const createPerformer = (session: Session, say: Say, afterJob: () => void): Performer => {
  const progress = byId('progress');
  const progressBar = byId('progress-bar', HTMLProgressElement);
  const progressText = byId('progress-text');

  const syncButtons = (): void => {
    for (const id of ['reset', 'run'])
      byId(id, HTMLButtonElement).disabled =
        session.busy !== null || !session.workbook?.isOptimizer(session.sheet);
  };

  const perform = async <T>(
    title: string,
    steps: Steps<T>,
    done: (result: T) => void,
  ): Promise<void> => {
    session.busy = title;
    for (const b of controls()) b.disabled = true;
    progress.hidden = false;
    try {
      done(
        await runSteps(steps, (p) => {
          progressBar.value = p.done / p.total;
          progressText.textContent = `${title}: ${p.what} (${p.done + 1} of ${p.total})…`;
        }),
      );
    } catch (err) {
      if (!(err instanceof InputError)) throw err;
      say(err.message, 'error');
    } finally {
      session.busy = null;
      for (const b of controls()) b.disabled = false;
      syncButtons();
      progress.hidden = true;
    }
    afterJob();
  };

  const refuseWhileBusy = (): boolean => {
    if (session.busy === null) return false;
    say(`still ${session.busy}: try again when the progress bar is gone`, 'error');
    return true;
  };

  return { perform, refuseWhileBusy, syncButtons };
};
