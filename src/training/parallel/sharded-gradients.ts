import type * as tf from '@tensorflow/tfjs';
import type { Batch } from '../data/data-loader.ts';

/** One batch's loss, summed gradients (by trainable weight name) and predictions. */
export interface ParallelStep {
  readonly loss: number;
  readonly grads: Record<string, tf.Tensor>;
  readonly preds: tf.Tensor;
}

/**
 * What the learner needs from a data-parallel gradient computer (`GradientPool`): one batch's
 * gradients, with the model's BatchNorm statistics updated as a training forward would.
 */
export interface ShardedGradients {
  /** `targets`: the batch's soft targets (n × classes), when the loss trains against them. */
  step(
    model: tf.LayersModel,
    batch: Batch,
    microBatch: number,
    targets?: tf.Tensor2D | null,
  ): Promise<ParallelStep>;
}
