import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../src/core/index.ts';
import { kernelReplacements, nativeConvsInUse } from '../../src/training/run/backend.ts';
import { initNodeBackend } from '../../src/training/node/node-backend.ts';
import { nativeConvsOff } from '../../src/training/node/native-convs.ts';
import { hasNativeChannelOps } from '../../src/training/kernels/native-channels.ts';
import { batchNormNative, batchNormOps } from '../../src/training/models/batch-norm.ts';

/**
 * The native convolutions (native/conv.cc, oneDNN) against tfjs's cpu backend: the forward
 * convolution with its bias, and both gradients, on the shapes of the lesson's models and on
 * odd ones, to 1e-5 relative. Where they are not built the tests skip and say why.
 */
const off = nativeConvsOff();

const data = (shape: number[], seed: number): Float32Array => {
  const rng = mulberry32(seed);
  return Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.normal());
};

interface Case {
  readonly x: [number, number, number, number];
  readonly f: [number, number, number, number];
  readonly s: number;
  readonly pad: 'same' | 'valid' | number;
}

/** y = conv(x, f) + b, and the gradients of Σ w·y with respect to x, f and b, as plain numbers. */
const convAndGrads = async (backend: 'cpu' | 'wasm', { x: xs, f: fs, s, pad }: Case) => {
  await initNodeBackend(backend);
  const x = tf.variable(tf.tensor4d(data(xs, 1), xs));
  const f = tf.variable(tf.tensor4d(data(fs, 2), fs));
  const b = tf.variable(tf.tensor1d(data([fs[3]], 4)));
  const conv = () => tf.fused.conv2d({ x, filter: f, bias: b, strides: s, pad });
  const y = conv();
  const w = tf.tensor(data([...y.shape], 3), y.shape);
  const { grads } = tf.variableGrads(() => tf.sum(tf.mul(conv(), w)), [x, f, b]);
  const out = await Promise.all(
    [y, grads[x.name], grads[f.name], grads[b.name]].map(async (t) => (t ? t.data() : null)),
  );
  tf.dispose([x, f, b, y, w, ...Object.values(grads)]);
  return out;
};

const relDiff = (got: ArrayLike<number> | null, want: ArrayLike<number> | null): number => {
  if (!got || want?.length !== got.length) return Infinity;
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < want.length; i++) {
    diff = Math.max(diff, Math.abs((got[i] ?? NaN) - (want[i] ?? NaN)));
    scale = Math.max(scale, Math.abs(want[i] ?? NaN));
  }
  return diff / scale;
};

describe.skipIf(off !== null)('native convolutions (oneDNN) on the wasm backend', () => {
  it('replace the four convolution kernels', async () => {
    await initNodeBackend('wasm');
    expect(nativeConvsInUse()).toBe('oneDNN');
    expect(kernelReplacements()).toEqual(
      expect.arrayContaining([
        'Conv2D@wasm',
        'FusedConv2D@wasm',
        'Conv2DBackpropInput@wasm',
        'Conv2DBackpropFilter@wasm',
      ]),
    );
  });

  it.each<Case>([
    // resnet-small's: the 5×5 stem, stride-1 and stride-2 3×3 blocks, 1×1 shortcuts
    { x: [3, 28, 28, 1], f: [5, 5, 1, 8], s: 1, pad: 'same' },
    { x: [4, 28, 28, 8], f: [3, 3, 8, 16], s: 2, pad: 'same' },
    { x: [4, 14, 14, 16], f: [3, 3, 16, 16], s: 1, pad: 'same' },
    { x: [4, 14, 14, 16], f: [1, 1, 16, 32], s: 1, pad: 'valid' },
    { x: [2, 4, 4, 128], f: [3, 3, 128, 256], s: 2, pad: 'same' },
    // odd ones: 'valid' at stride 2 (a row never reached), explicit padding, non-square
    { x: [2, 9, 9, 4], f: [3, 3, 4, 6], s: 2, pad: 'valid' },
    { x: [2, 14, 14, 8], f: [3, 3, 8, 16], s: 2, pad: 1 },
    { x: [2, 9, 8, 3], f: [3, 2, 3, 4], s: 2, pad: 'valid' },
    { x: [1, 17, 15, 8], f: [5, 5, 8, 4], s: 3, pad: 'same' },
  ])('x $x, filter $f, stride $s, pad $pad: y, ∂x, ∂f, ∂b as the cpu backend', async (c) => {
    const want = await convAndGrads('cpu', c);
    const got = await convAndGrads('wasm', c);
    want.forEach((w, i) => {
      expect(relDiff(got[i] ?? null, w), ['y', '∂x', '∂f', '∂b'][i]).toBeLessThan(1e-5);
    });
  });

  it('leave what they do not take to the kernels before them: dilation, a fused relu, ceil', async () => {
    await initNodeBackend('wasm');
    const x = tf.tensor4d(data([2, 9, 9, 3], 1), [2, 9, 9, 3]);
    const f = tf.tensor4d(data([3, 3, 3, 4], 2), [3, 3, 3, 4]);
    const dilated = await tf.conv2d(x, f, 1, 'same', 'NHWC', 2).data();
    // 'ceil' rounding gives a 5×5 output from 10×10 at stride 2, where oneDNN (rounding down)
    // would throw: XNNPACK takes it (tfjs's cpu and wasm backends disagree on its values)
    const x10 = tf.tensor4d(data([2, 10, 10, 3], 3), [2, 10, 10, 3]);
    const ceil = tf.conv2d(x10, f, 2, 0, 'NHWC', 1, 'ceil');
    expect(ceil.shape).toEqual([2, 5, 5, 4]);
    const relu = await tf.fused
      .conv2d({ x, filter: f, strides: 1, pad: 'same', activation: 'relu' })
      .data();
    await initNodeBackend('cpu');
    const x2 = tf.tensor4d(data([2, 9, 9, 3], 1), [2, 9, 9, 3]);
    const f2 = tf.tensor4d(data([3, 3, 3, 4], 2), [3, 3, 3, 4]);
    expect(relDiff(dilated, await tf.conv2d(x2, f2, 1, 'same', 'NHWC', 2).data())).toBeLessThan(
      1e-5,
    );
    expect(
      relDiff(
        relu,
        await tf.fused
          .conv2d({ x: x2, filter: f2, strides: 1, pad: 'same', activation: 'relu' })
          .data(),
      ),
    ).toBeLessThan(1e-5);
    tf.dispose([x2, f2]);
    await initNodeBackend('wasm');
    tf.dispose([x, f, x10, ceil]);
  });

  it("BatchNorm's native passes give the ops' y, gradients and statistics", async () => {
    await initNodeBackend('wasm');
    expect(hasNativeChannelOps()).toBe(true);
    const shape: [number, number, number, number] = [16, 14, 14, 24];
    // a mean far from 0 and unequal scales, as after a conv: the centring must be exact
    const x = tf.tidy(() => tf.add(tf.mul(tf.tensor4d(data(shape, 5), shape), 3), 5));
    const gamma = tf.tensor1d(data([24], 6));
    const beta = tf.tensor1d(data([24], 7));
    const dy = tf.tensor4d(data(shape, 8), shape);
    const run = async (impl: typeof batchNormOps) => {
      const f = (a: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => {
        const { y, stats } = impl(a, g as tf.Tensor1D, b as tf.Tensor1D, 1e-5, null);
        tf.dispose([stats.mean, stats.variance]);
        return tf.sum(tf.mul(y, dy));
      };
      const { y, stats } = impl(x, gamma, beta, 1e-5, null);
      const grads = tf.grads(f)([x, gamma, beta]);
      const out = await Promise.all([y, stats.mean, stats.variance, ...grads].map((t) => t.data()));
      tf.dispose([y, stats.mean, stats.variance, ...grads]);
      return out;
    };
    const ops = await run(batchNormOps);
    const native = await run(batchNormNative);
    ops.forEach((want, i) => {
      expect(relDiff(native[i] ?? null, want), ['y', 'μ', 'σ²', '∂x', '∂γ', '∂β'][i]).toBeLessThan(
        1e-5,
      );
    });
    tf.dispose([x, gamma, beta, dy]);
  });

  it('leak no tensors and no wasm memory over repeated steps', async () => {
    await initNodeBackend('wasm');
    const x = tf.variable(tf.randomNormal<tf.Rank.R4>([8, 14, 14, 16]));
    const f = tf.variable(tf.randomNormal<tf.Rank.R4>([3, 3, 16, 16]));
    const step = () => {
      const { value, grads } = tf.variableGrads(() => tf.sum(tf.conv2d(x, f, 2, 'same')), [x, f]);
      tf.dispose([value, ...Object.values(grads)]);
    };
    step();
    const before = tf.memory();
    for (let i = 0; i < 5; i++) step();
    expect(tf.memory().numTensors).toBe(before.numTensors);
    expect(tf.memory().numBytes).toBe(before.numBytes);
    tf.dispose([x, f]);
  });
});

if (off !== null) {
  describe('native convolutions: skipped', () => {
    it.skip(`because ${off}`, () => undefined);
  });
}
