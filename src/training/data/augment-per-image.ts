import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../../core/index.ts';
import type { BatchAugment } from './augment-names.ts';
import type { Patch } from './patches.ts';
import { drawPatch, fillWithNoise } from './patches.ts';

/*
 * The same four augmentations as `augment.ts`, with a random choice for every image instead of
 * one for the whole batch (the lesson's transforms act on the batch tensor, so all 1,024 images
 * of a batch share one crop offset, one flip, one set of erased patches). Each image's choices
 * are drawn from the seeded stream on the host, image after image, so a run repeats and resumes
 * exactly. Every op here selects or copies whole pixels: no interpolation, no rounding.
 */

/** A [n, 1, 1, 1] tensor of per-image 0/1 flags, to blend two batches image by image. */
const perImage = (flags: Float32Array): tf.Tensor4D => tf.tensor4d(flags, [flags.length, 1, 1, 1]);

/** Each image mirrored left–right with probability 0.5. */
export const randomFlipEach: BatchAugment = (x, rng) =>
  tf.tidy(() => {
    const n = x.shape[0];
    const flip = new Float32Array(n);
    for (let i = 0; i < n; i++) flip[i] = rng.next() < 0.5 ? 1 : 0;
    const m = perImage(flip);
    return tf.add(tf.mul(x, tf.sub(1, m)), tf.mul(tf.reverse(x, 2), m));
  });

/**
 * Each image padded with `padding` zeros and cut back to its size at its own random offset:
 * every offset's window of the whole padded batch, each kept for the images that drew it.
 */
export const randomCropEach =
  (padding = 1): BatchAugment =>
  (x, rng) =>
    tf.tidy(() => {
      const [n, h, w] = x.shape;
      const side = 2 * padding + 1;
      const drawn = new Int32Array(n);
      for (let i = 0; i < n; i++)
        drawn[i] = rng.int(0, 2 * padding) * side + rng.int(0, 2 * padding);
      const padded = tf.pad(x, [
        [0, 0],
        [padding, padding],
        [padding, padding],
        [0, 0],
      ]);
      let out: tf.Tensor4D = tf.zerosLike(x);
      for (let offset = 0; offset < side * side; offset++) {
        const take = new Float32Array(n);
        let any = false;
        for (let i = 0; i < n; i++)
          if (drawn[i] === offset) {
            take[i] = 1;
            any = true;
          }
        if (!any) continue;
        const top = Math.floor(offset / side);
        const window = tf.slice(padded, [0, top, offset % side, 0], [-1, h, w, -1]);
        out = tf.add(out, tf.mul(window, perImage(take)));
      }
      return out;
    });

/**
 * Per image: 0…maxNum patches (`patches[i]`), each drawn after the image's count, image after
 * image, before anything else (the erase's noise seeds come after all of them).
 */
const drawPatches = (n: number, h: number, w: number, pct: number, maxNum: number, rng: Rng) =>
  Array.from({ length: n }, () =>
    Array.from({ length: rng.int(0, maxNum) }, () => drawPatch(h, w, pct, rng)),
  );

/** The [n, h, w, 1] 0/1 mask of each image's k-th patch (all 0 where an image has fewer). */
const patchMask = (patches: readonly (readonly Patch[])[], k: number, h: number, w: number) => {
  const mask = new Float32Array(patches.length * h * w);
  patches.forEach((ps, i) => {
    const p = ps[k];
    if (!p) return;
    const [top, left, sh, sw] = p;
    for (let r = top; r < top + sh; r++)
      mask.fill(1, (i * h + r) * w + left, (i * h + r) * w + left + sw);
  });
  return tf.tensor4d(mask, [patches.length, h, w, 1]);
};

/**
 * `randomErase` per image: each image gets its own 0…maxNum patches of pct·H × pct·W filled with
 * noise of the batch's mean and std, then the batch is clamped to its range, as the lesson does.
 */
export const randomEraseEach =
  (pct = 0.2, maxNum = 4): BatchAugment =>
  (x, rng) =>
    tf.tidy(() => {
      const [n, h, w] = x.shape;
      const patches = drawPatches(n, h, w, pct, maxNum, rng);
      function* masks(): Generator<tf.Tensor4D> {
        for (let k = 0; k < maxNum; k++)
          if (patches.some((ps) => ps[k])) yield patchMask(patches, k, h, w);
      }
      return fillWithNoise(x, masks(), rng);
    });

/**
 * `randomCopy` per image: each image gets 0…maxNum patches copied from one random place of its
 * own to another, in order (a later copy reads what an earlier one wrote). The copies compose
 * into one source pixel per pixel, gathered in one pass.
 */
export const randomCopyEach =
  (pct = 0.2, maxNum = 4): BatchAugment =>
  (x, rng) =>
    tf.tidy(() => {
      const [n, h, w, c] = x.shape;
      const size = h * w;
      const from = new Int32Array(n * size);
      const pixels = new Int32Array(size);
      for (let i = 0; i < n; i++) {
        for (let p = 0; p < size; p++) pixels[p] = p;
        const count = rng.int(0, maxNum);
        for (let k = 0; k < count; k++) {
          const [dt, dl, sh, sw] = drawPatch(h, w, pct, rng);
          const [st, sl] = drawPatch(h, w, pct, rng);
          // The whole source patch is read before any of it is written, as the batch version's
          // slice-then-paste does when source and destination overlap.
          const lines = Array.from({ length: sh }, (_, r) =>
            pixels.slice((st + r) * w + sl, (st + r) * w + sl + sw),
          );
          lines.forEach((line, r) => {
            pixels.set(line, (dt + r) * w + dl);
          });
        }
        for (let p = 0; p < size; p++) from[i * size + p] = i * size + (pixels[p] ?? p);
      }
      // One flat gather over all images' pixels: tfjs's wasm gather with batchDims 1 reads the
      // wrong rows after the first image (tfjs 4.22), so the image's offset is in the index.
      const flat = tf.reshape(x, [n * size, c]);
      const gathered = tf.gather(flat, tf.tensor1d(from, 'int32'));
      return tf.reshape(gathered, [n, h, w, c]);
    });
