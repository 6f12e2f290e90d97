import * as tf from '@tensorflow/tfjs';
import { channelSum } from '../kernels/channel-sum.ts';
import {
  hasNativeChannelOps,
  nativeAffine2,
  nativeChannelDot,
  nativeChannelSums,
} from '../kernels/native-channels.ts';
import { affine } from './channel-ops.ts';
import type { ChannelSync } from './channel-sync.ts';
import { reduceChannels } from './channel-sync.ts';

export interface BatchStats {
  readonly mean: tf.Tensor1D;
  readonly variance: tf.Tensor1D;
  /** The rows they are over: every replica's with `sync`. */
  readonly rows: number;
}

/**
 * Batch normalisation in training, over every axis but the last, as one differentiable op:
 *
 *   μ = mean x,  σ² = mean (x−μ)² (biased),  y = γ·(x−μ)/√(σ²+ε) + β
 *   ∂β = Σ dy,  ∂γ = Σ dy·(x−μ) / √(σ²+ε)
 *   ∂x = γ/√(σ²+ε) · (dy − ∂β/n − (x−μ)·∂γ/(n·√(σ²+ε)))
 *
 * The composite that tfjs records (moments, then `FusedBatchNorm`) costs about 20 passes over
 * the activation backwards; this is 5 forwards and 6 backwards. Also returns the batch's μ and
 * σ² for the moving averages (kept: the caller disposes them).
 *
 * With `sync`, x is one replica's shard of a batch: the four sums (Σx, Σ(x−μ)², Σdy, Σdy·(x−μ))
 * are added over every replica before use, and n is the batch's rows, so each shard is
 * normalised, and differentiated, as part of the whole batch. ∂γ and ∂β stay this shard's
 * share (the replicas' gradients are summed afterwards).
 */
export const batchNormTraining = (
  x: tf.Tensor,
  gamma: tf.Tensor1D,
  beta: tf.Tensor1D,
  epsilon: number,
  sync: ChannelSync | null = null,
): { readonly y: tf.Tensor; readonly stats: BatchStats } =>
  (hasNativeChannelOps() ? batchNormNative : batchNormOps)(x, gamma, beta, epsilon, sync);

type BatchNormImpl = (
  x: tf.Tensor,
  gamma: tf.Tensor1D,
  beta: tf.Tensor1D,
  epsilon: number,
  sync: ChannelSync | null,
) => { readonly y: tf.Tensor; readonly stats: BatchStats };

/** `batchNormTraining` in tfjs ops, on every backend. Exported for tests. */
export const batchNormOps: BatchNormImpl = (x, gamma, beta, epsilon, sync) => {
  let n = x.size / (x.shape.at(-1) ?? 1);
  // the op can return one tensor only; the statistics leave through this
  const kept: { stats: BatchStats | null } = { stats: null };
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [xIn, g, b, save] = args as [tf.Tensor, tf.Tensor1D, tf.Tensor1D, tf.GradSaveFunc];
    const first = reduceChannels(sync, [channelSum(xIn)] as const, n);
    n = first.rows;
    const mean = tf.div<tf.Tensor1D>(first.sums[0], n);
    const centred = affine(xIn, tf.onesLike(mean), tf.neg(mean));
    const squares = reduceChannels(sync, [channelSum(tf.square(centred))] as const, n);
    const variance = tf.div<tf.Tensor1D>(squares.sums[0], n);
    const inv = tf.rsqrt(tf.add<tf.Tensor1D>(variance, epsilon));
    const y = affine(centred, tf.mul<tf.Tensor1D>(g, inv), b);
    kept.stats = { mean: tf.keep(mean), variance: tf.keep(variance), rows: n };
    save([centred, inv, g]);
    return {
      value: y,
      gradFunc: (dyIn: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
        const dy = Array.isArray(dyIn) ? dyIn[0] : dyIn;
        const [c, s, gs] = saved as [tf.Tensor, tf.Tensor1D, tf.Tensor1D];
        if (!dy) throw new Error('batchNormTraining: no upstream gradient');
        const dBeta = channelSum(dy);
        const dyc = channelSum(tf.mul(dy, c));
        const dGamma = tf.mul<tf.Tensor1D>(dyc, s);
        // the whole batch's ∂β and ∂γ·√(σ²+ε) shape ∂x; this shard's are its share of ∂γ, ∂β
        const [allBeta, allDyc] = reduceChannels(sync, [dBeta, dyc] as const, n).sums;
        const a = tf.mul<tf.Tensor1D>(gs, s);
        const fromDy = affine(dy, a, tf.mul<tf.Tensor1D>(tf.mul(a, allBeta), -1 / n));
        const fromX = affine(
          c,
          tf.mul<tf.Tensor1D>(tf.mul(a, tf.mul(s, tf.mul(allDyc, s))), -1 / n),
        );
        return [tf.add(fromDy, fromX), dGamma, dBeta];
      },
    };
  });
  const y = op(x, gamma, beta);
  if (!kept.stats) throw new Error('batchNormTraining: the op did not run');
  return { y, stats: kept.stats };
};

/**
 * The same with Node's native per-channel passes (`kernels/native-channels.ts`), which read x
 * without writing x − μ: Σx, then Σ(x−μ)², then y = (x−μ)·γ/σ + β forward; [Σdy, Σdy·(x−μ)] in
 * one pass, then ∂x = a·dy + k·(x−μ) + d in one, backward. 4 passes over the activation forward
 * and 2 back, where the ops make 8 and 12 reads and writes; x − μ is taken inside each pass, and
 * the sums are exchanged as the ops' are. Exported for tests.
 */
export const batchNormNative: BatchNormImpl = (x, gamma, beta, epsilon, sync) => {
  let n = x.size / (x.shape.at(-1) ?? 1);
  // the op can return one tensor only; the statistics leave through this
  const kept: { stats: BatchStats | null } = { stats: null };
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [xIn, g, b, save] = args as [tf.Tensor, tf.Tensor1D, tf.Tensor1D, tf.GradSaveFunc];
    const first = reduceChannels(sync, [nativeChannelSums(xIn, null, false)] as const, n);
    n = first.rows;
    const mean = tf.div<tf.Tensor1D>(first.sums[0], n);
    const squares = reduceChannels(sync, [nativeChannelSums(xIn, mean, true)] as const, n);
    const variance = tf.div<tf.Tensor1D>(squares.sums[0], n);
    const inv = tf.rsqrt(tf.add<tf.Tensor1D>(variance, epsilon));
    const y = nativeAffine2(null, xIn, null, tf.mul<tf.Tensor1D>(g, inv), b, mean);
    kept.stats = { mean: tf.keep(mean), variance: tf.keep(variance), rows: n };
    save([xIn, mean, inv, g]);
    return {
      value: y,
      gradFunc: (dyIn: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
        const dy = Array.isArray(dyIn) ? dyIn[0] : dyIn;
        const [xs, mu, s, gs] = saved as [tf.Tensor, tf.Tensor1D, tf.Tensor1D, tf.Tensor1D];
        if (!dy) throw new Error('batchNormTraining: no upstream gradient');
        const [dBeta, dyc] = tf.unstack(nativeChannelDot(dy, xs, mu)) as [tf.Tensor1D, tf.Tensor1D];
        const dGamma = tf.mul<tf.Tensor1D>(dyc, s);
        // the whole batch's ∂β and ∂γ·√(σ²+ε) shape ∂x; this shard's are its share of ∂γ, ∂β
        const [allBeta, allDyc] = reduceChannels(sync, [dBeta, dyc] as const, n).sums;
        // ∂x = a·dy + k·(x − μ) − a·Σdy/n, with a = γ/σ and k = −a·Σdy(x−μ)/(n·σ²)
        const a = tf.mul<tf.Tensor1D>(gs, s);
        const k = tf.mul<tf.Tensor1D>(tf.mul(a, tf.mul(s, tf.mul(allDyc, s))), -1 / n);
        const d = tf.mul<tf.Tensor1D>(tf.mul(a, allBeta), -1 / n);
        return [nativeAffine2(dy, xs, a, k, d, mu), dGamma, dBeta];
      },
    };
  });
  const y = op(x, gamma, beta);
  if (!kept.stats) throw new Error('batchNormTraining: the op did not run');
  return { y, stats: kept.stats };
};

export interface BatchNormConfig {
  /** Weight of the old moving statistics (tfjs's convention: PyTorch's momentum 0.1 is 0.9). */
  readonly momentum?: number;
  readonly epsilon?: number;
  readonly name?: string;
}

type Kwargs = Parameters<tf.layers.Layer['call']>[1];

/**
 * BatchNorm over the last axis (PyTorch's BatchNorm1d/2d: normalised with the biased batch
 * variance; the moving variance, unlike tfjs's `BatchNormalization`'s, averages the unbiased
 * one), trained through `batchNormTraining`, evaluated as one
 * per-channel affine map. Same weights, in the same order, as tfjs's layer: gamma, beta,
 * moving_mean, moving_variance.
 */
export class BatchNorm extends tf.layers.Layer {
  static readonly className = 'BatchNorm';
  readonly momentum: number;
  readonly epsilon: number;
  /** Set in a gradient worker: training adds the channel sums over every worker's shard. */
  sync: ChannelSync | null = null;
  #gamma: tf.LayerVariable | null = null;
  #beta: tf.LayerVariable | null = null;
  #movingMean: tf.LayerVariable | null = null;
  #movingVariance: tf.LayerVariable | null = null;

  constructor(config: BatchNormConfig = {}) {
    super(config.name === undefined ? {} : { name: config.name });
    this.momentum = config.momentum ?? 0.9;
    this.epsilon = config.epsilon ?? 1e-5;
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    const c = shape.at(-1);
    if (c === undefined || c === null) throw new Error(`BatchNorm: unknown channel count`);
    const weight = (
      name: string,
      init: ReturnType<typeof tf.initializers.ones>,
      trainable: boolean,
    ) => this.addWeight(name, [c], 'float32', init, undefined, trainable);
    this.#gamma = weight('gamma', tf.initializers.ones(), true);
    this.#beta = weight('beta', tf.initializers.zeros(), true);
    this.#movingMean = weight('moving_mean', tf.initializers.zeros(), false);
    this.#movingVariance = weight('moving_variance', tf.initializers.ones(), false);
    this.built = true;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    const [gamma, beta, movingMean, movingVariance] = [
      this.#gamma,
      this.#beta,
      this.#movingMean,
      this.#movingVariance,
    ];
    if (!x || !gamma || !beta || !movingMean || !movingVariance)
      throw new Error('BatchNorm: called before build, or without an input');
    return tf.tidy(() => {
      const g = gamma.read() as tf.Tensor1D;
      const b = beta.read() as tf.Tensor1D;
      if ((kwargs as { training?: unknown }).training !== true) {
        const scale = tf.mul(g, tf.rsqrt(tf.add(movingVariance.read(), this.epsilon)));
        const shift = tf.sub(b, tf.mul(movingMean.read(), scale));
        return affine(x, scale as tf.Tensor1D, shift as tf.Tensor1D);
      }
      const { y, stats } = batchNormTraining(x, g, b, this.epsilon, this.sync);
      // PyTorch keeps the unbiased variance, n/(n−1)·σ², as its running estimate (normalising
      // with the biased one): 0.4% more at BatchNorm1d over a micro-batch of 256
      const n = stats.rows;
      const unbiased = tf.mul(stats.variance, n > 1 ? n / (n - 1) : 1);
      for (const [moving, value] of [
        [movingMean, stats.mean],
        [movingVariance, unbiased],
      ] as const) {
        const old = moving.read();
        moving.write(tf.sub(old, tf.mul(tf.sub(old, value), 1 - this.momentum)));
      }
      tf.dispose([stats.mean, stats.variance]);
      return y;
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), momentum: this.momentum, epsilon: this.epsilon };
  }
}
tf.serialization.registerClass(BatchNorm);
