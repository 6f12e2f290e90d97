/**
 * The workbook's automatic annealing (`adam_ann`), a loss-driven schedule with state: after
 * each epoch compare the gradient size `avg` (√ of each parameter's squared-gradient average,
 * summed) with the smallest seen so far; when it has grown by more than `threshold`×, divide
 * the lr by `factor`. Exactly the `adam_ann.somesteps` macro: the ratio uses the best value
 * *before* this epoch updates it.
 */
export interface AnnealingState {
  readonly lr: number;
  /** The smallest gradient size seen so far (`prev_grad2`). */
  readonly best: number;
}

export interface AnnealingOptions {
  readonly threshold?: number;
  readonly factor?: number;
}

export const initAnnealing = (lr: number, avg: number): AnnealingState => ({ lr, best: avg });

export const stepAnnealing = (
  state: AnnealingState,
  avg: number,
  { threshold = 2, factor = 4 }: AnnealingOptions = {},
): AnnealingState & { readonly ratio: number } => {
  const ratio = avg / state.best;
  return {
    ratio,
    lr: ratio > threshold ? state.lr / factor : state.lr,
    best: avg < state.best ? avg : state.best,
  };
};
