import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Rng } from '../../../src/core/index.ts';
import { mulberry32 } from '../../../src/core/index.ts';
import { microBatchGradients } from '../../../src/training/learner/grad-step.ts';
import type { Batch } from '../../../src/training/data/data-loader.ts';
import type { Learner } from '../../../src/training/learner/learner.ts';
import type { MixKind, MixState } from '../../../src/training/additions/mix.ts';
import {
  additionsLoss,
  cutmixBox,
  mixCallback,
  sampleBeta,
} from '../../../src/training/additions/mix.ts';
import { trainableVariables } from '../../../src/training/models/variables.ts';
import { initNodeBackend } from '../../../src/training/node/node-backend.ts';
import { partners } from '../../../src/training/additions/soft-loss.ts';

beforeAll(async () => {
  await initNodeBackend('wasm');
});

const moments = (xs: number[]): [number, number] => {
  const mean = xs.reduce((a, v) => a + v, 0) / xs.length;
  return [mean, xs.reduce((a, v) => a + (v - mean) ** 2, 0) / xs.length];
};

/** −Σ_c t_c log softmax(z)_c, t = λ·smooth(y_i) + (1 − λ)·smooth(y_partner), mean over rows, float64. */
const mixedLossByHand = (
  z: number[][],
  y: number[],
  lam: number,
  eps: number,
  pair: Int32Array,
): number => {
  let sum = 0;
  z.forEach((row, r) => {
    const lse = Math.log(row.reduce((a, v) => a + Math.exp(v), 0));
    const t = (label: number, c: number): number => (1 - eps) * (label === c ? 1 : 0) + eps / 10;
    row.forEach((v, c) => {
      const target = lam * t(y[r] ?? -1, c) + (1 - lam) * t(y[pair[r] ?? r] ?? -1, c);
      sum -= target * (v - lse);
    });
  });
  return sum / z.length;
};

/** The fields of a learner the mixing callback reads, for one training batch. */
const fakeLearner = (batch: Batch, microBatch: number, epoch = 2, iter = 3): Learner =>
  ({ training: true, batch, epoch, iter, microBatch }) as unknown as Learner;

const images = (n: number): number[] =>
  Array.from({ length: n * 28 * 28 }, (_, i) => Math.sin(i * 0.37) + (i % 7) / 7);

const rngFor = (e: number, i: number): Rng => mulberry32(1000 * e + i);

const mixOnce = (kind: MixKind, alpha: number, n: number, microBatch: number) => {
  const host = images(n);
  const labels = Array.from({ length: n }, (_, i) => (i * 3) % 10);
  const state: MixState = { training: false, lam: null };
  const l = fakeLearner(
    { x: tf.tensor4d(host, [n, 28, 28, 1]), y: tf.tensor1d(labels, 'int32') },
    microBatch,
  );
  void mixCallback(kind, alpha, state, rngFor).beforeBatch?.(l);
  const mixed = Array.from(l.batch?.x.dataSync() ?? []);
  tf.dispose([l.batch?.x, l.batch?.y].filter((t) => t !== undefined));
  return { host, labels, state, mixed };
};

describe('mixup and cutmix', () => {
  it('draw λ from Beta(α, α): mean ½, variance 1/(4(2α + 1))', () => {
    for (const alpha of [0.2, 0.4, 1, 2]) {
      const rng = mulberry32(7);
      const xs = Array.from({ length: 20_000 }, () => sampleBeta(rng, alpha));
      expect(xs.every((v) => v >= 0 && v <= 1)).toBe(true); // at α = 0.2, λ < 1e-16 happens: 0 or 1 in float64
      const [mean, variance] = moments(xs);
      expect(Math.abs(mean - 0.5)).toBeLessThan(0.01);
      expect(Math.abs(variance - 1 / (4 * (2 * alpha + 1)))).toBeLessThan(0.005);
    }
    // Beta(1, 1) is uniform: a quarter of the draws below ¼
    const rng = mulberry32(11);
    const low = Array.from({ length: 20_000 }, () => sampleBeta(rng, 1)).filter((v) => v < 0.25);
    expect(Math.abs(low.length / 20_000 - 0.25)).toBeLessThan(0.01);
  });

  it('pair neighbours inside each micro-batch block', () => {
    expect(Array.from(partners(7, 4))).toEqual([1, 0, 3, 2, 5, 4, 6]);
    expect(Array.from(partners(5))).toEqual([1, 0, 3, 2, 4]);
    expect(Array.from(partners(6, 3))).toEqual([1, 0, 2, 4, 3, 5]);
  });

  it('cutmix boxes: √(1 − λ) of each side around the centre, clipped', () => {
    const at = (cy: number, cx: number): Rng => {
      const ints = [cy, cx];
      return { next: () => 0, normal: () => 0, int: () => ints.shift() ?? 0 };
    };
    expect(cutmixBox(at(10, 12), 28, 28, 0.75)).toEqual({ top: 3, left: 5, h: 14, w: 14 });
    expect(cutmixBox(at(0, 27), 28, 28, 0.75)).toEqual({ top: 0, left: 20, h: 7, w: 8 });
  });

  it('mixup: the batch is λ·x + (1 − λ)·x[partner] with λ from the seeded stream', () => {
    const { host, state, mixed } = mixOnce('mixup', 0.4, 6, 4);
    const lam = sampleBeta(rngFor(2, 3), 0.4);
    expect(state.lam).toBe(lam);
    expect(lam).toBeCloseTo(0.814236, 6); // this seed’s draw, pinned
    const pair = partners(6, 4); // 0↔1, 2↔3 | 4↔5
    const px = 28 * 28;
    mixed.forEach((v, i) => {
      const r = Math.floor(i / px);
      const want = lam * (host[i] ?? 0) + (1 - lam) * (host[(pair[r] ?? r) * px + (i % px)] ?? 0);
      expect(v).toBeCloseTo(want, 5);
    });
    expect(tf.memory().numTensors).toBe(0);
  });

  it('cutmix: the box comes from the partner, λ is the share of the image left', () => {
    const { host, state, mixed } = mixOnce('cutmix', 1, 4, 256);
    const rng = rngFor(2, 3);
    const box = cutmixBox(rng, 28, 28, sampleBeta(rng, 1));
    expect(box.h * box.w).toBeGreaterThan(0);
    expect(state.lam).toBeCloseTo(1 - (box.h * box.w) / 784, 12);
    const pair = partners(4);
    mixed.forEach((v, i) => {
      const [r, y, x] = [Math.floor(i / 784), Math.floor((i % 784) / 28), i % 28];
      const inBox = y >= box.top && y < box.top + box.h && x >= box.left && x < box.left + box.w;
      const src = inBox ? (pair[r] ?? r) * 784 + (i % 784) : i;
      expect(v).toBeCloseTo(host[src] ?? NaN, 6);
    });
  });

  it('the mixed, smoothed loss equals the hand computation, whole or in micro-batches', () => {
    const n = 6;
    const z = Array.from({ length: n }, (_, r) =>
      Array.from({ length: 10 }, (_, c) => Math.cos(r * 1.3 + c * 0.7) * 2),
    );
    const y = [4, 1, 1, 7, 0, 9];
    const state: MixState = { training: true, lam: 0.3 };
    const loss = additionsLoss(0.1, state);
    const got = tf.tidy(() => loss(tf.tensor2d(z), tf.tensor1d(y, 'int32')).dataSync()[0]);
    expect(got).toBeCloseTo(mixedLossByHand(z, y, 0.3, 0.1, partners(n)), 5);
    // validation batches: plain cross-entropy, whatever λ says
    state.training = false;
    const plain = tf.tidy(() => loss(tf.tensor2d(z), tf.tensor1d(y, 'int32')).dataSync()[0]);
    expect(plain).toBeCloseTo(mixedLossByHand(z, y, 1, 0, partners(n)), 5);

    // Through the learner's micro-batching (blocks of 4 then 2): same loss as the whole batch.
    state.training = true;
    const input = tf.input({ shape: [28, 28, 1] });
    const flat = tf.layers.flatten().apply(input) as tf.SymbolicTensor;
    const out = tf.layers.dense({ units: 10 }).apply(flat) as tf.SymbolicTensor;
    const model = tf.model({ inputs: input, outputs: out });
    const x = tf.tensor4d(images(n), [n, 28, 28, 1]);
    const yt = tf.tensor1d(y, 'int32');
    const vars = trainableVariables(model);
    const whole = microBatchGradients(model, vars, x, yt, loss, 256);
    const parts = microBatchGradients(model, vars, x, yt, loss, 4);
    expect(parts.loss.dataSync()[0]).toBeCloseTo(whole.loss.dataSync()[0] ?? NaN, 5);
    const logits = (whole.preds.arraySync() as number[][]).map((r) => r.map(Number));
    expect(whole.loss.dataSync()[0]).toBeCloseTo(
      mixedLossByHand(logits, y, 0.3, 0.1, partners(n, 4)),
      5,
    );
    tf.dispose([x, yt, whole.loss, whole.preds, parts.loss, parts.preds]);
    tf.dispose([...Object.values(whole.grads), ...Object.values(parts.grads)]);
    model.dispose();
  });
});
