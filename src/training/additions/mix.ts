import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../../core/index.ts';
import type { LossFn, TargetsFn } from '../learner/grad-step.ts';
import type { Batch } from '../data/data-loader.ts';
import type { Callback } from '../learner/learner.ts';
import { crossEntropy } from '../learner/learner.ts';
import { CLASSES } from '../data/fashion-mnist.ts';
import { partners, smoothTargets, softCrossEntropy } from './soft-loss.ts';

/** Gamma(a, 1) by Marsaglia and Tsang (a < 1 through Gamma(a + 1)·U^(1/a)). */
export const sampleGamma = (rng: Rng, a: number): number => {
  if (a < 1) return sampleGamma(rng, a + 1) * Math.pow(1 - rng.next(), 1 / a);
  const d = a - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    const z = rng.normal();
    const v = Math.pow(1 + c * z, 3);
    if (v <= 0) continue;
    const u = 1 - rng.next();
    if (Math.log(u) < 0.5 * z * z + d - d * v + d * Math.log(v)) return d * v;
  }
};

/** Beta(a, b) as Ga/(Ga + Gb). */
export const sampleBeta = (rng: Rng, a: number, b = a): number => {
  const x = sampleGamma(rng, a);
  const y = sampleGamma(rng, b);
  return x / (x + y);
};

/** A rectangle of the image: rows [top, top + h), columns [left, left + w). */
export interface Box {
  readonly top: number;
  readonly left: number;
  readonly h: number;
  readonly w: number;
}

/**
 * CutMix's box for a drawn λ (Yun et al. 2019): sides √(1 − λ)·H × √(1 − λ)·W around a random
 * centre, clipped to the image.
 */
export const cutmixBox = (rng: Rng, height: number, width: number, lam: number): Box => {
  const r = Math.sqrt(1 - lam);
  const [ch, cw] = [Math.trunc(height * r), Math.trunc(width * r)];
  const [cy, cx] = [rng.int(0, height - 1), rng.int(0, width - 1)];
  const top = Math.max(0, cy - Math.trunc(ch / 2));
  const left = Math.max(0, cx - Math.trunc(cw / 2));
  const bottom = Math.min(height, cy + Math.trunc(ch / 2));
  const right = Math.min(width, cx + Math.trunc(cw / 2));
  return { top, left, h: bottom - top, w: right - left };
};

/** λ·x + (1 − λ)·x[partner]. */
export const mixupImages = (x: tf.Tensor4D, lam: number, partner: Int32Array): tf.Tensor4D =>
  tf.tidy(() => tf.add(tf.mul(x, lam), tf.mul(tf.gather(x, partner), 1 - lam)));

/** x with the box pasted from x[partner]. */
export const cutmixImages = (x: tf.Tensor4D, box: Box, partner: Int32Array): tf.Tensor4D =>
  tf.tidy(() => {
    const [, h, w] = x.shape;
    const mask = tf.pad(tf.ones([1, box.h, box.w, 1]), [
      [0, 0],
      [box.top, h - box.top - box.h],
      [box.left, w - box.left - box.w],
      [0, 0],
    ]);
    return tf.add(tf.mul(x, tf.sub(1, mask)), tf.mul(tf.gather(x, partner), mask));
  });

/** What the mixing callback tells the loss about the current batch. */
export interface MixState {
  training: boolean;
  /** The weight of each item's own label; null: the batch is not mixed. */
  lam: number | null;
}

export type MixKind = 'mixup' | 'cutmix';

/**
 * Mixes every training batch with λ ~ Beta(α, α) drawn from `rngFor(epoch, iter)` (mixup:
 * blends whole images; cutmix: pastes a box, λ becomes the share of the image left) and
 * records λ in `state` for the loss. Validation batches are not mixed. With `alpha` 0 it only
 * tells the loss whether the batch is a training one (label smoothing alone).
 */
export const mixCallback = (
  kind: MixKind,
  alpha: number,
  state: MixState,
  rngFor: (epoch: number, iter: number) => Rng,
): Callback => ({
  name: kind,
  order: 1, // after the augmentations (order 0): mix the augmented images
  beforeBatch(l) {
    state.training = l.training;
    state.lam = null;
    if (!l.training || !l.batch || alpha <= 0) return;
    const old: Batch = l.batch;
    const rng = rngFor(l.epoch, l.iter);
    const lam = sampleBeta(rng, alpha);
    const pair = partners(old.y.shape[0], l.microBatch);
    const [, h, w] = old.x.shape;
    let x: tf.Tensor4D;
    if (kind === 'mixup') {
      x = mixupImages(old.x, lam, pair);
      state.lam = lam;
    } else {
      const box = cutmixBox(rng, h, w, lam);
      x = cutmixImages(old.x, box, pair);
      state.lam = 1 - (box.h * box.w) / (h * w);
    }
    l.batch = { x, y: old.y };
    old.x.dispose();
  },
});

/**
 * The training targets of `additionsLoss` for a whole batch, as rows of class weights: what the
 * gradient workers train against (each its shard's rows). The partners are those the mixing
 * callback paired the images with (pairs inside each block of `microBatch`). Validation: null.
 */
export const additionsTargets =
  (eps: number, state: MixState): TargetsFn =>
  (y, microBatch) => {
    if (!state.training) return null;
    const lam = state.lam;
    return tf.tidy(() => {
      const own = smoothTargets(y, CLASSES.length, eps);
      if (lam === null) return own;
      const other = tf.gather(own, partners(y.shape[0], microBatch));
      return tf.add<tf.Tensor2D>(tf.mul(own, lam), tf.mul(other, 1 - lam));
    });
  };

/**
 * The training loss with the additions: label-smoothed (ε) cross-entropy, against
 * λ·t(y) + (1 − λ)·t(y[partner]) on a mixed batch. Validation batches get plain cross-entropy,
 * so the validation loss stays comparable between runs.
 */
export const additionsLoss = (eps: number, state: MixState): LossFn => {
  const targets = additionsTargets(eps, state);
  return (preds, y) =>
    tf.tidy(() => {
      // a micro-batch is one block of partners: the pairs the mixing callback made inside it
      const t = targets(y, y.shape[0]);
      return t ? softCrossEntropy(preds, t) : crossEntropy(preds, y);
    });
};
