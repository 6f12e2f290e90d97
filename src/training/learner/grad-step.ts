import * as tf from '@tensorflow/tfjs';

export type LossFn = (preds: tf.Tensor, y: tf.Tensor1D) => tf.Scalar;

/**
 * A batch's training targets as rows of class weights (label smoothing, mixup, CutMix), n ×
 * classes, for the gradient workers; null: the plain labels.
 */
export type TargetsFn = (y: tf.Tensor1D, microBatch: number) => tf.Tensor2D | null;

export interface GradStep {
  /** The batch's loss (times `scale`). */
  readonly loss: tf.Scalar;
  /** Summed gradients, keyed by variable name. */
  readonly grads: Record<string, tf.Tensor>;
  /** The model's outputs for the whole batch. */
  readonly preds: tf.Tensor;
}

/**
 * Forward and backward in training mode over micro-batches of at most `microBatch` items,
 * accumulating gradients: each piece's loss is weighted by its share of the batch (times
 * `scale`), so the sum is the batch's mean-loss gradient. Used by the learner and by each
 * gradient worker. The caller owns (and disposes) everything returned.
 */
/** Rows [start, start + size) of labels (1-D) or targets (2-D). */
const rowsOf = <Y extends tf.Tensor>(y: Y, start: number, size: number): Y =>
  tf.slice(y, [start, ...y.shape.slice(1).map(() => 0)], [size, ...y.shape.slice(1).map(() => -1)]);

export const microBatchGradients = <Y extends tf.Tensor>(
  model: tf.LayersModel,
  vars: tf.Variable[],
  x: tf.Tensor4D,
  y: Y,
  lossFn: (preds: tf.Tensor, y: Y) => tf.Scalar,
  microBatch: number,
  scale = 1,
): GradStep => {
  const n = x.shape[0];
  const acc: Record<string, tf.Tensor> = {};
  const preds: tf.Tensor[] = [];
  let loss: tf.Scalar | null = null;
  for (let start = 0; start < n; start += microBatch) {
    const size = Math.min(microBatch, n - start);
    const xs = size === n ? x : x.slice([start, 0, 0, 0], [size, -1, -1, -1]);
    const ys = size === n ? y : rowsOf(y, start, size);
    const kept: { preds: tf.Tensor | null } = { preds: null };
    const { value, grads } = tf.variableGrads(() => {
      const out = model.apply(xs, { training: true }) as tf.Tensor;
      kept.preds = tf.keep(out);
      return tf.mul(lossFn(out, ys), (scale * size) / n);
    }, vars);
    if (kept.preds) preds.push(kept.preds);
    const prevLoss: tf.Scalar | null = loss;
    loss = prevLoss ? tf.add<tf.Scalar>(prevLoss, value) : value;
    if (prevLoss) tf.dispose([prevLoss, value]);
    for (const [k, g] of Object.entries(grads)) {
      const prev = acc[k];
      acc[k] = prev ? tf.add(prev, g) : g;
      if (prev) tf.dispose([prev, g]);
    }
    if (xs !== x) tf.dispose([xs, ys]);
  }
  const all = preds.length === 1 && preds[0] ? preds[0] : tf.concat(preds);
  if (preds.length > 1) tf.dispose(preds);
  return { loss: loss ?? tf.scalar(0), grads: acc, preds: all };
};
