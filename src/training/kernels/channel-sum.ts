import * as tf from '@tensorflow/tfjs';

/** Σ over every axis but the last: per-channel sums (one pooling pass on wasm, `rowReduction`). */
export const channelSum = (t: tf.Tensor): tf.Tensor1D =>
  tf.sum(
    t,
    Array.from({ length: t.rank - 1 }, (_, i) => i),
  );
