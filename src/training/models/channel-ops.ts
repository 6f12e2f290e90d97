import * as tf from '@tensorflow/tfjs';
import { channelSum } from '../kernels/channel-sum.ts';

/** `x·scale + shift` on wasm: a 1×1 depthwise convolution with bias over x as [1, rows, 1, c]. */
const depthwiseAffine = (
  x: tf.Tensor,
  scale: tf.Tensor1D,
  shift: tf.Tensor1D | null,
): tf.Tensor => {
  const c = x.shape.at(-1) ?? 1;
  const y = tf.fused.depthwiseConv2d({
    x: tf.reshape<tf.Rank.R4>(x, [1, x.size / c, 1, c]),
    filter: tf.reshape<tf.Rank.R4>(scale, [1, 1, c, 1]),
    strides: 1,
    pad: 'valid',
    ...(shift ? { bias: shift } : {}),
  });
  return tf.reshape(y, x.shape);
};

/** The same, differentiable (wasm has no depthwise-convolution gradients). */
const wasmAffine = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const [x, scale, shift, save] = args as [tf.Tensor, tf.Tensor1D, tf.Tensor1D, tf.GradSaveFunc];
  save([x, scale]);
  return {
    value: depthwiseAffine(x, scale, shift),
    gradFunc: (dyIn: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
      const dy = Array.isArray(dyIn) ? dyIn[0] : dyIn;
      const [xs, s] = saved as [tf.Tensor, tf.Tensor1D];
      if (!dy) throw new Error('affine: no upstream gradient');
      return [depthwiseAffine(dy, s, null), channelSum(tf.mul(dy, xs)), channelSum(dy)];
    },
  };
});

/**
 * `x·scale + shift` per channel (the last axis). On wasm it is a 1×1 depthwise convolution with
 * bias, one XNNPACK pass: a third of a broadcast multiply and add, a tenth of wasm's
 * `FusedBatchNorm`. Elsewhere a multiply and an add.
 */
export const affine = (x: tf.Tensor, scale: tf.Tensor1D, shift?: tf.Tensor1D): tf.Tensor =>
  tf.tidy(() => {
    if (tf.getBackend() === 'wasm') return wasmAffine(x, scale, shift ?? tf.zerosLike(scale));
    return shift ? tf.add(tf.mul(x, scale), shift) : tf.mul(x, scale);
  });
