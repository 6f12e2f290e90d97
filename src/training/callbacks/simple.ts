import type { Batch, Callback, Learner } from '../learner.ts';
import { CancelFitError } from '../learner.ts';

/** miniai's SingleBatchCB: stop after one batch. */
export const singleBatchCallback = (): Callback => ({
  name: 'singleBatch',
  order: 1,
  afterBatch() {
    throw new CancelFitError('single batch');
  },
});

export interface CapturedPreds {
  preds: Float32Array[];
  targets: Int32Array[];
}

/** miniai's CapturePreds: the raw logits and targets of every batch, on the host. */
export const capturePredsCallback = (into: CapturedPreds): Callback => ({
  name: 'capturePreds',
  async afterBatch(l) {
    if (!l.preds || !l.batch) return;
    into.preds.push(new Float32Array(await l.preds.data()));
    into.targets.push(new Int32Array(await l.batch.y.data()));
  },
});

/**
 * miniai's BatchTransformCB: replace the batch with `tfm(batch)` in training and/or
 * validation. The transform returns new tensors; the old ones are disposed.
 */
export const batchTransformCallback = (
  tfm: (b: Batch, learn: Learner) => Batch,
  { onTrain = true, onVal = true } = {},
): Callback => ({
  name: 'batchTransform',
  beforeBatch(l) {
    if (!l.batch || !((onTrain && l.training) || (onVal && !l.training))) return;
    const old = l.batch;
    l.batch = tfm(old, l);
    if (l.batch.x !== old.x) old.x.dispose();
    if (l.batch.y !== old.y) old.y.dispose();
  },
});
