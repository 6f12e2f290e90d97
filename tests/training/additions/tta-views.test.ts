import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Batch, DataLoader } from '../../../src/training/data/data-loader.ts';
import { initNodeBackend } from '../../../src/training/node/node-backend.ts';
import { meanLogits, predict } from '../../../src/training/additions/tta.ts';
import { predictViews, SHIFTS, shiftImages } from '../../../src/training/additions/tta-views.ts';

beforeAll(async () => {
  await initNodeBackend('wasm');
});

const N = 5;
const images = Array.from({ length: N * 784 }, (_, i) => Math.sin(i * 0.11) + ((i * 7) % 13) / 13);
const labels = [0, 3, 3, 9, 1];
/** Two batches (3 + 2) of fixed images. */
const loader: DataLoader = {
  length: 2,
  size: N,
  *batches(): Iterable<Batch> {
    for (const [a, b] of [
      [0, 3],
      [3, 5],
    ] as const) {
      yield {
        x: tf.tensor4d(images.slice(a * 784, b * 784), [b - a, 28, 28, 1]),
        y: tf.tensor1d(labels.slice(a, b), 'int32'),
      };
    }
  },
};

/** Image `n` moved dx right and dy down on the host, 0 where nothing moved in. */
const shiftedOnHost = (dx: number, dy: number): number[] =>
  images.map((_, i) => {
    const [n, y, x] = [Math.floor(i / 784), Math.floor((i % 784) / 28), i % 28];
    const [sy, sx] = [y - dy, x - dx];
    return sy < 0 || sy > 27 || sx < 0 || sx > 27 ? 0 : (images[n * 784 + sy * 28 + sx] ?? NaN);
  });

describe('extra TTA views', () => {
  it('shift a 3×3 image one pixel, filling with 0', () => {
    const x = tf.tensor4d([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 3, 3, 1]);
    const at = (dx: number, dy: number): number[] =>
      Array.from(shiftImages(x, { dx, dy }).dataSync());
    expect(at(1, 0)).toEqual([0, 1, 2, 0, 4, 5, 0, 7, 8]);
    expect(at(-1, 0)).toEqual([2, 3, 0, 5, 6, 0, 8, 9, 0]);
    expect(at(0, 1)).toEqual([0, 0, 0, 1, 2, 3, 4, 5, 6]);
    expect(at(0, -1)).toEqual([4, 5, 6, 7, 8, 9, 0, 0, 0]);
    x.dispose();
  });

  it('average the plain and the shifted logits: equal to the model on host-shifted images, averaged on the host', async () => {
    const input = tf.input({ shape: [28, 28, 1] });
    const conv = tf.layers.conv2d({ filters: 4, kernelSize: 3, activation: 'relu' }).apply(input);
    const flat = tf.layers.flatten().apply(conv) as tf.SymbolicTensor;
    const out = tf.layers.dense({ units: 10 }).apply(flat) as tf.SymbolicTensor;
    const model = tf.model({ inputs: input, outputs: out });
    const before = tf.memory().numTensors;
    const plain = await predict(model, loader);
    const views = await predictViews(model, loader, 4);
    expect(views).toHaveLength(4);
    expect(tf.memory().numTensors).toBe(before);
    const got = meanLogits([plain, ...views]);
    expect(Array.from(got.targets)).toEqual(labels);

    const sets = [images, ...SHIFTS.map((s) => shiftedOnHost(s.dx, s.dy))].map((imgs) =>
      tf.tidy(() =>
        Array.from((model.predict(tf.tensor4d(imgs, [N, 28, 28, 1])) as tf.Tensor).dataSync()),
      ),
    );
    const want = new Float64Array(N * 10);
    for (const s of sets) s.forEach((v, i) => (want[i] = (want[i] ?? 0) + v / sets.length));
    want.forEach((w, i) => {
      expect(got.logits[i]).toBeCloseTo(w, 4);
    });
    // the views really differ from the plain images' logits
    expect(views[0]?.logits[0]).not.toBeCloseTo(plain.logits[0] ?? NaN, 4);
    model.dispose();
  });
});
