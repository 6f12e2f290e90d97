import * as tf from '@tensorflow/tfjs';
import type { Callback, Learner } from '../learner.ts';
import { CancelEpochError, CancelFitError } from '../learner.ts';

export interface LrFindResult {
  readonly lrs: readonly number[];
  readonly losses: readonly number[];
  /** The lr at the lowest loss, divided by 10 (fastai's classic "minimum" suggestion). */
  readonly suggestion: number;
}

/**
 * miniai's LRFinderCB: multiply the lr by `gamma` after every training batch, skip
 * validation, stop when the loss passes `maxMult` × its minimum or turns NaN.
 */
export const lrFinderCallback = (
  gamma = 1.3,
  maxMult = 3,
): Callback & { lrs: number[]; losses: number[] } => {
  let min = Infinity;
  const lrs: number[] = [];
  const losses: number[] = [];
  return {
    name: 'lrFinder',
    lrs,
    losses,
    beforeFit() {
      min = Infinity;
    },
    afterBatch(l) {
      if (!l.training) throw new CancelEpochError('lr finder skips validation');
      const group = l.opt?.groups[0];
      if (!group) return;
      const lr = group.hyper.lr ?? NaN;
      lrs.push(lr);
      losses.push(l.lossValue);
      if (l.lossValue < min) min = l.lossValue;
      if (Number.isNaN(l.lossValue) || l.lossValue > min * maxMult)
        throw new CancelFitError('loss diverged');
      group.hyper.lr = lr * gamma;
    },
  };
};

export interface LrFindOptions {
  readonly gamma?: number;
  readonly maxMult?: number;
  readonly startLr?: number;
  readonly maxEpochs?: number;
}

/**
 * `Learner.lr_find`: from `startLr`, ×`gamma` per batch, up to `maxEpochs`. The model's
 * weights and batch-norm statistics are restored afterwards, whatever happens.
 */
export const lrFind = async (
  learn: Learner,
  { gamma = 1.3, maxMult = 3, startLr = 1e-5, maxEpochs = 10 }: LrFindOptions = {},
): Promise<LrFindResult> => {
  const saved = learn.model.getWeights().map((w) => w.clone());
  const cb = lrFinderCallback(gamma, maxMult);
  try {
    await learn.fit(maxEpochs, { lr: startLr, cbs: [cb] });
  } catch (err) {
    if (!(err instanceof Error && err.name === 'NonFiniteLossError')) throw err;
  } finally {
    learn.model.setWeights(saved);
    tf.dispose(saved);
  }
  let best = 0;
  cb.losses.forEach((v, i) => {
    if (v < (cb.losses[best] ?? Infinity)) best = i;
  });
  return { lrs: cb.lrs, losses: cb.losses, suggestion: (cb.lrs[best] ?? startLr) / 10 };
};
