import * as tf from '@tensorflow/tfjs';
import { batchIndices } from './batches.ts';
import type { FashionMnist, Split } from './fashion-mnist.ts';
import { normalise, SIDE, take } from './fashion-mnist.ts';
import type { Batch, DataLoader, DataLoaders } from './data-loader.ts';

const loader = (s: Split, bs: number, shuffle: number | null): DataLoader => ({
  length: Math.ceil(s.n / bs),
  size: s.n,
  *batches(epoch: number): Iterable<Batch> {
    for (const idx of batchIndices(s.n, bs, shuffle === null ? null : { seed: shuffle, epoch })) {
      const x = tf.tensor4d(normalise(s, idx), [idx.length, SIDE, SIDE, 1]);
      const y = tf.tensor1d(
        Int32Array.from(idx, (i) => s.labels[i] ?? 0),
        'int32',
      );
      yield { x, y };
    }
  },
});

export interface LoaderOptions {
  readonly bs: number;
  /** Seed of the training shuffle (a new order every epoch). */
  readonly seed: number;
  /** Use only the first N training images and N/6 validation images (at least 1); null: all. */
  readonly subset?: number | null;
}

/** The lesson's loaders: shuffled training batches of `bs`, validation unshuffled at `2·bs`. */
export const fashionLoaders = (
  data: FashionMnist,
  { bs, seed, subset }: LoaderOptions,
): DataLoaders => {
  const train = subset ? take(data.train, subset) : data.train;
  const valid = subset ? take(data.valid, Math.max(1, Math.ceil(subset / 6))) : data.valid;
  return { train: loader(train, bs, seed), valid: loader(valid, bs * 2, null) };
};
