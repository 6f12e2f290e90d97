import * as tf from '@tensorflow/tfjs';
import type { LossFn } from '../learner/grad-step.ts';

/** Targets (1 − ε)·one-hot(y) + ε/classes, n × classes. */
export const smoothTargets = (y: tf.Tensor1D, classes: number, eps: number): tf.Tensor2D =>
  tf.tidy(() => tf.add(tf.mul(tf.oneHot(tf.cast(y, 'int32'), classes), 1 - eps), eps / classes));

/** Mean over rows of −Σ_c t_c·log softmax(z)_c: cross-entropy against soft targets. */
export const softCrossEntropy = (preds: tf.Tensor, targets: tf.Tensor): tf.Scalar =>
  tf.tidy(() => tf.neg(tf.mean<tf.Scalar>(tf.sum(tf.mul(targets, tf.logSoftmax(preds)), 1))));

/**
 * Label-smoothed cross-entropy, as PyTorch's `F.cross_entropy(z, y, label_smoothing=ε)`:
 * (1 − ε)·nll + ε·mean_c(−log p_c).
 */
export const labelSmoothingLoss =
  (eps: number): LossFn =>
  (preds, y) =>
    tf.tidy(() => softCrossEntropy(preds, smoothTargets(y, preds.shape[1] ?? 10, eps)));

/**
 * Each item's mixing partner: its neighbour in pairs (0↔1, 2↔3, …) inside every block of
 * `block` items (an odd last item is its own partner). The learner cuts a batch into
 * micro-batches of `block` items, so a pair never straddles two of them, and the loss can find
 * the partners' labels from the micro-batch alone. Batches are shuffled, so the pairs are random.
 */
export const partners = (n: number, block = n): Int32Array =>
  Int32Array.from({ length: n }, (_, i) => {
    const start = i - (i % block);
    const size = Math.min(block, n - start);
    const j = (i - start) ^ 1;
    return j < size ? start + j : i;
  });
