import type * as tf from '@tensorflow/tfjs';

/** One batch: NHWC images and int32 labels. The learner disposes both after the batch. */
export interface Batch {
  readonly x: tf.Tensor4D;
  readonly y: tf.Tensor1D;
}

export interface DataLoader {
  /** Batches per epoch. */
  readonly length: number;
  /** Items per epoch. */
  readonly size: number;
  batches(epoch: number): Iterable<Batch>;
}

export interface DataLoaders {
  readonly train: DataLoader;
  readonly valid: DataLoader;
}
