import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../../core/index.ts';
import type { AugmentName, AugmentPer, BatchAugment } from './augment-names.ts';
import { DEFAULT_AUG_PER } from './augment-names.ts';
import {
  randomCopyEach,
  randomCropEach,
  randomEraseEach,
  randomFlipEach,
} from './augment-per-image.ts';
import type { Batch } from './data-loader.ts';
import { drawPatch, fillWithNoise } from './patches.ts';

export { AUGMENT_PER, AUGMENTS } from './augment-names.ts';
export type { AugmentName, AugmentPer, BatchAugment } from './augment-names.ts';

/*
 * Like miniai's batch transforms, each of these gives every image of the batch the same random
 * choice; `augment-per-image.ts` has the same four drawn per image.
 */

/** `RandomCrop(28, padding)`: pad with 0 (normalised space), then one random 28×28 window. */
export const randomCrop =
  (padding = 1): BatchAugment =>
  (x, rng) =>
    tf.tidy(() => {
      const [, h, w] = x.shape;
      const padded = tf.pad(x, [
        [0, 0],
        [padding, padding],
        [padding, padding],
        [0, 0],
      ]);
      return tf.slice(
        padded,
        [0, rng.int(0, 2 * padding), rng.int(0, 2 * padding), 0],
        [-1, h, w, -1],
      );
    });

/** `RandomHorizontalFlip()`: the whole batch, with probability 0.5. */
export const randomFlip: BatchAugment = (x, rng) =>
  rng.next() < 0.5 ? tf.reverse(x, 2) : x.clone();

/** A 0/1 mask of a rectangle, broadcastable over the batch. */
const rectMask = (
  h: number,
  w: number,
  top: number,
  left: number,
  sh: number,
  sw: number,
): tf.Tensor4D =>
  tf.pad(tf.ones([1, sh, sw, 1]), [
    [0, 0],
    [top, h - top - sh],
    [left, w - left - sw],
    [0, 0],
  ]);

/**
 * miniai's `rand_erase` (docs/lesson.md §5.3): 0…maxNum patches of pct·H × pct·W filled with noise of the
 * batch's mean and std (measured before erasing), then everything clamped to the batch's range.
 */
export const randomErase =
  (pct = 0.2, maxNum = 4): BatchAugment =>
  (x, rng) =>
    tf.tidy(() => {
      const [, h, w] = x.shape;
      const num = rng.int(0, maxNum);
      function* masks(): Generator<tf.Tensor4D> {
        for (let k = 0; k < num; k++) yield rectMask(h, w, ...drawPatch(h, w, pct, rng));
      }
      return fillWithNoise(x, masks(), rng);
    });

/** miniai's `rand_copy` (docs/lesson.md §5.4): 0…maxNum patches copied from one random place to another. */
export const randomCopy =
  (pct = 0.2, maxNum = 4): BatchAugment =>
  (x, rng) =>
    tf.tidy(() => {
      const [, h, w] = x.shape;
      let out: tf.Tensor4D = x;
      const num = rng.int(0, maxNum);
      for (let k = 0; k < num; k++) {
        const [dt, dl, sh, sw] = drawPatch(h, w, pct, rng);
        const [st, sl] = drawPatch(h, w, pct, rng);
        const src = tf.slice(out, [0, st, sl, 0], [-1, sh, sw, -1]);
        const placed = tf.pad(src, [
          [0, 0],
          [dt, h - dt - sh],
          [dl, w - dl - sw],
          [0, 0],
        ]);
        const mask = rectMask(h, w, dt, dl, sh, sw);
        out = tf.add(tf.mul(out, tf.sub(1, mask)), placed);
      }
      return out;
    });

const BY_NAME: Readonly<Record<AugmentPer, Readonly<Record<AugmentName, BatchAugment>>>> = {
  batch: { crop: randomCrop(1), flip: randomFlip, erase: randomErase(), copy: randomCopy() },
  image: {
    crop: randomCropEach(1),
    flip: randomFlipEach,
    erase: randomEraseEach(),
    copy: randomCopyEach(),
  },
};

/** Chains named augmentations into one transform of a training batch, drawn per batch or per image. */
export const augmentBatch =
  (names: readonly AugmentName[], rng: Rng, per: AugmentPer = DEFAULT_AUG_PER) =>
  (b: Batch): Batch => {
    let x = b.x;
    for (const n of names) {
      const next = BY_NAME[per][n](x, rng);
      if (x !== b.x) x.dispose();
      x = next;
    }
    return { x, y: b.y };
  };
