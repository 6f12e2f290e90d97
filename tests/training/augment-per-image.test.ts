import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { mulberry32 } from '../../src/core/index.ts';
import type { Rng } from '../../src/core/index.ts';
import { augmentBatch } from '../../src/training/data/augment.ts';
import {
  randomCopyEach,
  randomCropEach,
  randomEraseEach,
  randomFlipEach,
} from '../../src/training/data/augment-per-image.ts';
import { normalise } from '../../src/training/data/fashion-mnist.ts';
import { initNodeBackend } from '../../src/training/node/node-backend.ts';
import { loadFashionMnistFrom } from '../../src/training/node/node-data.ts';

/*
 * The per-image augmentations against plain loops over the pixels, fed the same random stream:
 * the loops below are a second reading of each transform, in the order the stream is drawn.
 */
const N = 48;
const S = 28;
let x: tf.Tensor4D;
let px: Float32Array;
beforeAll(async () => {
  await initNodeBackend('wasm');
  const d = await loadFashionMnistFrom();
  px = normalise(
    d.train,
    Array.from({ length: N }, (_, i) => i),
  );
  x = tf.tensor4d(px, [N, S, S, 1]);
});

const at = (img: number, r: number, c: number): number => px[(img * S + r) * S + c] ?? NaN;

const flipRef = (rng: Rng): Float32Array => {
  const out = new Float32Array(N * S * S);
  for (let i = 0; i < N; i++) {
    const flip = rng.next() < 0.5;
    for (let r = 0; r < S; r++)
      for (let c = 0; c < S; c++) out[(i * S + r) * S + c] = at(i, r, flip ? S - 1 - c : c);
  }
  return out;
};

const cropRef = (rng: Rng, pad: number): Float32Array => {
  const out = new Float32Array(N * S * S);
  for (let i = 0; i < N; i++) {
    const dy = rng.int(0, 2 * pad) - pad;
    const dx = rng.int(0, 2 * pad) - pad;
    for (let r = 0; r < S; r++)
      for (let c = 0; c < S; c++) {
        const [sr, sc] = [r + dy, c + dx];
        out[(i * S + r) * S + c] = sr < 0 || sc < 0 || sr >= S || sc >= S ? 0 : at(i, sr, sc);
      }
  }
  return out;
};

/** `_rand_erase1`'s patch, drawn as the batch version draws it. */
const patchRef = (rng: Rng, pct: number): number[] => [
  Math.trunc(rng.next() * (1 - pct) * S),
  Math.trunc(rng.next() * (1 - pct) * S),
  Math.trunc(pct * S),
  Math.trunc(pct * S),
];

const copyRef = (rng: Rng, pct: number, maxNum: number): Float32Array => {
  const out = new Float32Array(px);
  for (let i = 0; i < N; i++) {
    const count = rng.int(0, maxNum);
    for (let k = 0; k < count; k++) {
      const [dt = 0, dl = 0, sh = 0, sw = 0] = patchRef(rng, pct);
      const [st = 0, sl = 0] = patchRef(rng, pct);
      const src: number[] = [];
      for (let r = 0; r < sh; r++)
        for (let c = 0; c < sw; c++) src.push(out[(i * S + st + r) * S + sl + c] ?? NaN);
      for (let r = 0; r < sh; r++)
        for (let c = 0; c < sw; c++) out[(i * S + dt + r) * S + dl + c] = src[r * sw + c] ?? NaN;
    }
  }
  return out;
};

/** Which pixels of which image the erase draws cover, in the stream's order. */
const eraseMaskRef = (rng: Rng, pct: number, maxNum: number): Uint8Array => {
  const mask = new Uint8Array(N * S * S);
  for (let i = 0; i < N; i++) {
    const count = rng.int(0, maxNum);
    for (let k = 0; k < count; k++) {
      const [t = 0, l = 0, sh = 0, sw = 0] = patchRef(rng, pct);
      for (let r = t; r < t + sh; r++)
        for (let c = l; c < l + sw; c++) mask[(i * S + r) * S + c] = 1;
    }
  }
  return mask;
};

const run = (aug: (x: tf.Tensor4D, rng: Rng) => tf.Tensor4D, seed: number): Float32Array => {
  const y = aug(x, mulberry32(seed));
  const out = y.dataSync() as Float32Array;
  y.dispose();
  return out;
};

describe('augmentations drawn per image', () => {
  it('flip mirrors exactly the images the stream says, and some of each', () => {
    for (const seed of [1, 2, 3]) {
      expect(run(randomFlipEach, seed)).toEqual(flipRef(mulberry32(seed)));
    }
    const r = mulberry32(1);
    const drawn = Array.from({ length: N }, () => r.next() < 0.5);
    expect(drawn.filter(Boolean).length).toBeGreaterThan(N / 4);
    expect(drawn.filter(Boolean).length).toBeLessThan((3 * N) / 4);
  });

  it.each([1, 2])(
    'crop with padding %i shifts each image by its own offset, zeros at the border',
    (pad) => {
      for (const seed of [4, 5]) {
        expect(run(randomCropEach(pad), seed)).toEqual(cropRef(mulberry32(seed), pad));
      }
    },
  );

  it('copy pastes each image’s own patches in order, reading each patch before writing it', () => {
    for (const seed of [6, 7, 8]) {
      expect(run(randomCopyEach(0.2, 4), seed)).toEqual(copyRef(mulberry32(seed), 0.2, 4));
    }
  });

  it('erase changes exactly the patches each image drew, and clamps to the batch’s range', () => {
    const lo = Math.min(...px);
    const hi = Math.max(...px);
    for (const seed of [9, 10]) {
      const out = run(randomEraseEach(0.2, 4), seed);
      const mask = eraseMaskRef(mulberry32(seed), 0.2, 4);
      let inside = 0;
      let changed = 0;
      out.forEach((v, j) => {
        expect(v).toBeGreaterThanOrEqual(lo);
        expect(v).toBeLessThanOrEqual(hi);
        if (mask[j]) {
          inside++;
          if (v !== px[j]) changed++;
        } else expect(v).toBe(px[j]);
      });
      expect(inside).toBeGreaterThan(0);
      // noise equals the pixel below it only where both sit at a clamp bound
      expect(changed / inside).toBeGreaterThan(0.5);
    }
  });

  it('a batch cropped per image is none of the nine crops a batch version could give', () => {
    const each = run(randomCropEach(1), 12);
    const padded = (dy: number, dx: number): Float32Array => {
      const out = new Float32Array(N * S * S);
      for (let i = 0; i < N; i++)
        for (let r = 0; r < S; r++)
          for (let c = 0; c < S; c++) {
            const [sr, sc] = [r + dy, c + dx];
            out[(i * S + r) * S + c] = sr < 0 || sc < 0 || sr >= S || sc >= S ? 0 : at(i, sr, sc);
          }
      return out;
    };
    for (const dy of [-1, 0, 1])
      for (const dx of [-1, 0, 1]) expect(each).not.toEqual(padded(dy, dx));
  });

  it('all four chained per image keep the shape and leak no tensor', () => {
    const y = tf.zeros<tf.Rank.R1>([N], 'int32');
    const before = tf.memory().numTensors;
    const b = augmentBatch(['crop', 'flip', 'erase', 'copy'], mulberry32(3), 'image')({ x, y });
    expect(b.x.shape).toEqual(x.shape);
    b.x.dispose();
    expect(tf.memory().numTensors).toBe(before);
    y.dispose();
  });

  it('per batch is still the default: the same numbers as before this option', () => {
    const y = tf.zeros<tf.Rank.R1>([N], 'int32');
    const a = augmentBatch(['crop', 'flip'], mulberry32(11))({ x, y });
    const b = augmentBatch(['crop', 'flip'], mulberry32(11), 'batch')({ x, y });
    expect(a.x.dataSync()).toEqual(b.x.dataSync());
    tf.dispose([a.x, b.x, y]);
  });
});
