import { byId } from '../dom.ts';
import { button } from './form.ts';
import type { TrainState } from './state.ts';

/** Train and lr_find while the form is fine and nothing runs; Stop while training; Resume per run. */
export const updateButtons = (state: TrainState): void => {
  const ok = Object.keys(state.errors).length === 0;
  button('t-train').disabled = !ok || state.busy !== null;
  button('t-train').title = ok
    ? ''
    : `fix the marked settings first: ${Object.values(state.errors)[0] ?? ''}`;
  button('t-lrfind').disabled = !ok || state.busy !== null;
  button('t-stop').disabled = state.busy !== 'train';
  button('t-use-lr').disabled = state.suggestion === null;
  const stopped = new Set(state.runs.filter((r) => r.status === 'stopped').map((r) => r.id));
  for (const b of byId('t-runs').querySelectorAll<HTMLButtonElement>('button.resume')) {
    const id = b.closest('tr')?.dataset.run;
    b.disabled = state.busy !== null || id === undefined || !stopped.has(id);
  }
};
