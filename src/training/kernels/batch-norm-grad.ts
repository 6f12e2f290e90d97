import * as tf from '@tensorflow/tfjs';
import { channelSum } from './channel-sum.ts';

/**
 * The gradient of `FusedBatchNorm`, the same formulas as tfjs-core's, with broadcasting
 * instead of `Tile`:
 *   ∂x = dy·γ/σ,  ∂μ = −Σ dy·γ/σ,  ∂σ² = Σ dy·γ·(x−μ)·(−½σ⁻³),  ∂γ = Σ dy·(x−μ)/σ,  ∂β = Σ dy
 * where σ = √(σ² + ε) and Σ runs over every axis but the channels.
 */
export const fusedBatchNormGrad: tf.GradConfig = {
  kernelName: 'FusedBatchNorm',
  inputsToSave: ['x', 'mean', 'variance', 'scale'],
  gradFunc: (dyIn, saved, attrs) => {
    const dy = Array.isArray(dyIn) ? dyIn[0] : dyIn;
    const [x, mean, variance, scale] = saved;
    if (!dy || !x || !mean || !variance)
      throw new Error('FusedBatchNorm gradient: missing saved tensors');
    const eps = (attrs as { varianceEpsilon: number }).varianceEpsilon;
    const perChannel = mean.rank === 1;
    const reduce = (t: tf.Tensor): tf.Tensor => (perChannel ? channelSum(t) : t);
    const gamma = scale ?? tf.scalar(1);
    const inv = tf.rsqrt(tf.add(variance, eps));
    const xMinusMean = tf.sub(x, mean);
    const dyGamma = tf.mul(dy, gamma);
    return {
      x: () => tf.mul(dyGamma, inv),
      mean: () => tf.reshape(tf.mul(tf.neg(inv), reduce(dyGamma)), mean.shape),
      variance: () =>
        tf.reshape(
          tf.mul(tf.mul(tf.pow(inv, 3), -0.5), reduce(tf.mul(dyGamma, xMinusMean))),
          mean.shape,
        ),
      scale: () => tf.reshape(tf.mul(inv, reduce(tf.mul(dy, xMinusMean))), mean.shape),
      offset: () => tf.reshape(reduce(dy), mean.shape),
    };
  },
};
