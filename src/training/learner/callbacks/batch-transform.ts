import type { Batch } from '../../data/data-loader.ts';
import type { Callback, Learner } from '../learner.ts';

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
