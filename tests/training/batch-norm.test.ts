import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { initNodeBackend } from '../../src/training/node/node-backend.ts';
import { BatchNorm, batchNormTraining } from '../../src/training/models/batch-norm.ts';
import type { ChannelSync } from '../../src/training/models/channel-sync.ts';
import { mulberry32 } from '../../src/core/index.ts';

/** PyTorch's BatchNorm2d/1d running statistics after one training forward (bench/torch_reference.py). */
const reference = JSON.parse(
  readFileSync(new URL('fixtures/torch-reference.json', import.meta.url), 'utf8'),
) as {
  batchNorm: { shape: number[]; x: number[]; runningMean: number[]; runningVar: number[] }[];
};

const data = (n: number, seed: number, offset = 0): Float32Array => {
  const rng = mulberry32(seed);
  return Float32Array.from({ length: n }, () => offset + 2 * rng.normal());
};

/** Output, gradients (x, γ, β) of Σ w·BN(x) and the moving statistics after one training call. */
const run = (layer: tf.layers.Layer, shape: number[], training: boolean) => {
  const size = shape.reduce((a, b) => a * b, 1);
  const c = shape.at(-1) ?? 1;
  const x = tf.variable(tf.tensor(data(size, 1, 3), shape));
  const w = tf.tensor(data(size, 2), shape);
  const input = tf.input({ shape: shape.slice(1) });
  const model = tf.model({ inputs: input, outputs: layer.apply(input) as tf.SymbolicTensor });
  // γ, β, moving mean, moving variance: not the initial values, so every term is exercised
  model.setWeights([
    tf.tensor(data(c, 3, 1)),
    tf.tensor(data(c, 4)),
    tf.tensor(data(c, 5)),
    tf.tensor(data(c, 6, 5)),
  ]);
  const vars = [
    x,
    ...model.trainableWeights.map((v) => (v as unknown as { val: tf.Variable }).val),
  ];
  const { value, grads } = tf.variableGrads(
    () => tf.sum(tf.mul(model.apply(x, { training }) as tf.Tensor, w)),
    vars,
  );
  const out = {
    loss: value.dataSync()[0] ?? NaN,
    grads: vars.map((v) => Array.from(grads[v.name]?.dataSync() ?? [])),
    weights: model.getWeights().map((t) => Array.from(t.dataSync())),
  };
  tf.dispose([x, w, value, ...Object.values(grads)]);
  model.dispose();
  return out;
};

const close = (got: number[], want: number[], tol: number) => {
  expect(got.length).toBe(want.length);
  const scale = want.reduce((m, v) => Math.max(m, Math.abs(v)), 1e-3);
  want.forEach((v, i) => {
    expect(Math.abs((got[i] ?? NaN) - v) / scale).toBeLessThan(tol);
  });
};

describe('BatchNorm (one fused op) against tfjs’s BatchNormalization', () => {
  it.each([
    { backend: 'cpu' as const, shape: [8, 5, 5, 6], training: true },
    { backend: 'wasm' as const, shape: [8, 5, 5, 6], training: true },
    { backend: 'wasm' as const, shape: [64, 28, 28, 4], training: true },
    { backend: 'wasm' as const, shape: [32, 10], training: true },
    { backend: 'cpu' as const, shape: [32, 10], training: false },
    { backend: 'wasm' as const, shape: [8, 5, 5, 6], training: false },
  ])('$backend, $shape, training $training', async ({ backend, shape, training }) => {
    await initNodeBackend(backend);
    const config = { momentum: 0.9, epsilon: 1e-5 };
    const want = run(tf.layers.batchNormalization(config), shape, training);
    const got = run(new BatchNorm(config), shape, training);
    expect(Math.abs(got.loss - want.loss) / Math.max(1, Math.abs(want.loss))).toBeLessThan(1e-5);
    got.grads.forEach((g, i) => {
      close(g, want.grads[i] ?? [], 1e-4);
    });
    // γ, β, moving mean; the moving variance differs by design (PyTorch's, tested below)
    got.weights.slice(0, 3).forEach((wt, i) => {
      close(wt, want.weights[i] ?? [], 1e-5);
    });
  });

  it.each(reference.batchNorm.map((c) => ({ shape: c.shape, c })))(
    'updates its running statistics as PyTorch does (unbiased variance), $shape',
    async ({ c }) => {
      await initNodeBackend('wasm');
      const layer = new BatchNorm({ momentum: 0.9, epsilon: 1e-5 });
      const input = tf.input({ shape: c.shape.slice(1) });
      const model = tf.model({ inputs: input, outputs: layer.apply(input) as tf.SymbolicTensor });
      const x = tf.tensor(c.x, c.shape);
      tf.dispose(model.apply(x, { training: true }) as tf.Tensor);
      const [, , mean, variance] = model.getWeights().map((w) => Array.from(w.dataSync()));
      close(mean ?? [], c.runningMean, 1e-6);
      close(variance ?? [], c.runningVar, 1e-6);
      x.dispose();
      model.dispose();
    },
  );

  it('trains without leaking tensors', async () => {
    await initNodeBackend('wasm');
    const layer = new BatchNorm();
    const input = tf.input({ shape: [4, 4, 3] });
    const model = tf.model({ inputs: input, outputs: layer.apply(input) as tf.SymbolicTensor });
    const x = tf.randomNormal([6, 4, 4, 3]);
    const step = () => {
      const { value, grads } = tf.variableGrads(() =>
        tf.sum(tf.square(model.apply(x, { training: true }) as tf.Tensor)),
      );
      tf.dispose([value, ...Object.values(grads)]);
    };
    step();
    const before = tf.memory().numTensors;
    step();
    step();
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose(x);
    model.dispose();
  });

  it('with a sync, normalises and differentiates a shard as part of the whole batch', async () => {
    await initNodeBackend('wasm');
    // two replicas holding the same shard: the batch is the shard twice
    const twice: ChannelSync = { allReduce: (local) => local.map((v) => 2 * v) };
    const shape = [6, 3, 3, 4];
    const size = shape.reduce((a, b) => a * b, 1);
    const x = tf.tensor(data(size, 1, 3), shape);
    const w = tf.tensor(data(size, 2), shape);
    const gamma = tf.tensor1d(data(4, 3, 1));
    const beta = tf.tensor1d(data(4, 4));
    const loss = (
      xs: tf.Tensor,
      ws: tf.Tensor,
      g: tf.Tensor,
      b: tf.Tensor,
      sync: ChannelSync | null,
    ) => {
      const { y, stats } = batchNormTraining(xs, g as tf.Tensor1D, b as tf.Tensor1D, 1e-5, sync);
      tf.dispose([stats.mean, stats.variance]);
      return tf.sum<tf.Scalar>(tf.mul(y, ws));
    };
    const grads = (sync: ChannelSync | null, xs: tf.Tensor, ws: tf.Tensor) =>
      tf
        .grads((a, g, b) => loss(a, ws, g, b, sync))([xs, gamma, beta])
        .map((t) => {
          const v = Array.from(t.dataSync());
          t.dispose();
          return v;
        });
    const before = tf.memory().numTensors;
    const [dx, dGamma, dBeta] = grads(twice, x, w);
    expect(tf.memory().numTensors).toBe(before);
    const xx = tf.concat([x, x]);
    const ww = tf.concat([w, w]);
    const [dxx, dGammaAll, dBetaAll] = grads(null, xx, ww);
    // ∂x: the first copy's rows of the whole batch's; ∂γ, ∂β: this shard's half of the batch's
    close(dx ?? [], (dxx ?? []).slice(0, size), 1e-5);
    close(
      (dGamma ?? []).map((v) => 2 * v),
      dGammaAll ?? [],
      1e-5,
    );
    close(
      (dBeta ?? []).map((v) => 2 * v),
      dBetaAll ?? [],
      1e-5,
    );
    const synced = batchNormTraining(x, gamma, beta, 1e-5, twice);
    const whole = batchNormTraining(xx, gamma, beta, 1e-5);
    expect(synced.stats.rows).toBe(2 * 6 * 3 * 3);
    close(
      Array.from(synced.stats.variance.dataSync()),
      Array.from(whole.stats.variance.dataSync()),
      1e-6,
    );
    close(Array.from(synced.y.dataSync()), Array.from(whole.y.dataSync()).slice(0, size), 1e-6);
    tf.dispose([x, w, xx, ww, gamma, beta, synced.y, whole.y]);
    tf.dispose([synced.stats.mean, synced.stats.variance, whole.stats.mean, whole.stats.variance]);
  });
});
