import * as tf from '@tensorflow/tfjs';
import type { Callback, Learner } from '../learner.ts';
import { CancelEpochError, CancelFitError } from '../learner.ts';
import { lrFinderHypers } from '../../../optimizers/index.ts';
import { hyperScheduler } from './schedulers.ts';

export interface LrFindResult {
  readonly lrs: readonly number[];
  readonly losses: readonly number[];
  /** The lr at the lowest loss, divided by 10 (fastai's classic "minimum" suggestion). */
  readonly suggestion: number;
}

/**
 * miniai's LRFinderCB, less the lr: record each training batch's lr and loss, skip
 * validation, stop when the loss passes `maxMult` × its minimum or turns NaN. The lr itself
 * rises by `lrFinderHypers`' schedule (lrFind gives both to its fit).
 */
export const lrFinderCallback = (maxMult = 3): Callback & { lrs: number[]; losses: number[] } => {
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
      if (!l.opt) return;
      lrs.push(l.opt.hypers.lr ?? NaN);
      losses.push(l.lossValue);
      if (l.lossValue < min) min = l.lossValue;
      if (Number.isNaN(l.lossValue) || l.lossValue > min * maxMult)
        throw new CancelFitError('loss diverged');
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
 * `Learner.lr_find`: from `startLr`, ×`gamma` per batch, up to `maxEpochs`. It leaves the
 * learner as it found it, whatever happens: the model's weights and batch-norm statistics are
 * restored; the learner's own hyperparameter schedule sits out the search and is back afterwards;
 * the search's optimizer (its state trained to divergence, its lr the last tried) is freed, so
 * the next fit starts from the learner's own hyperparameters.
 */
export const lrFind = async (
  learn: Learner,
  { gamma = 1.3, maxMult = 3, startLr = 1e-5, maxEpochs = 10 }: LrFindOptions = {},
): Promise<LrFindResult> => {
  const saved = learn.model.getWeights().map((w) => w.clone());
  const cb = lrFinderCallback(maxMult);
  const cbs = learn.cbs;
  learn.cbs = cbs.filter((c) => !c.setsHypers);
  try {
    await learn.fit(maxEpochs, { cbs: [hyperScheduler(lrFinderHypers(startLr, gamma)), cb] });
  } catch (err) {
    if (!(err instanceof Error && err.name === 'NonFiniteLossError')) throw err;
  } finally {
    learn.cbs = cbs;
    learn.opt?.dispose();
    learn.opt = null;
    learn.model.setWeights(saved);
    tf.dispose(saved);
  }
  let best = 0;
  cb.losses.forEach((v, i) => {
    if (v < (cb.losses[best] ?? Infinity)) best = i;
  });
  return { lrs: cb.lrs, losses: cb.losses, suggestion: (cb.lrs[best] ?? startLr) / 10 };
};
