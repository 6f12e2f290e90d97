import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../../core/index.ts';

/** A patch: top row, left column, height, width. */
export type Patch = readonly [number, number, number, number];

/** Patch size and a random start, as `_rand_erase1` draws them: int(pct·H), int(U·(1−pct)·H). */
export const drawPatch = (h: number, w: number, pct: number, rng: Rng): Patch => [
  Math.trunc(rng.next() * (1 - pct) * h),
  Math.trunc(rng.next() * (1 - pct) * w),
  Math.trunc(pct * h),
  Math.trunc(pct * w),
];

/**
 * miniai's erase fill, shared by the batch and per-image erase: each mask's pixels (1 in the
 * mask) get noise of the batch's mean and std, measured before erasing, a noise seed drawn after
 * each mask; then everything is clamped to the batch's range. The masks are drawn as they are
 * iterated, so the stream's order is the caller's.
 */
export const fillWithNoise = (
  x: tf.Tensor4D,
  masks: Iterable<tf.Tensor4D>,
  rng: Rng,
): tf.Tensor4D =>
  tf.tidy(() => {
    // Statistics stay on the device (no read-back: a GPU backend need not sync).
    const { mean, variance } = tf.moments(x);
    const std = tf.sqrt(variance);
    let out: tf.Tensor4D = x;
    for (const mask of masks) {
      const normal = tf.randomNormal(x.shape, 0, 1, 'float32', rng.int(0, 2 ** 30));
      const noise = tf.add(tf.mul(normal, std), mean);
      out = tf.add(tf.mul(out, tf.sub(1, mask)), tf.mul(noise, mask));
    }
    return tf.minimum(tf.maximum(out, tf.min(x)), tf.max(x));
  });
