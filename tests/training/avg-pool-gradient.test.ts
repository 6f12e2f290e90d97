import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { avgPoolGradConfig } from '../../src/training/kernels/avg-pool-gradient.ts';
import '../../src/training/models/zoo.ts'; // registers the gradient, as training does
import { initNodeBackend } from '../../src/training/node/node-backend.ts';

/** PyTorch's AvgPool2d(2, ceil_mode=True), written by bench/torch_reference.py. */
const reference = JSON.parse(
  readFileSync(new URL('fixtures/torch-reference.json', import.meta.url), 'utf8'),
) as {
  avgPool: {
    shape: number[];
    outShape: number[];
    x: number[];
    dy: number[];
    y: number[];
    dx: number[];
  }[];
};

const maxAbs = (a: ArrayLike<number>, b: readonly number[]): number =>
  b.reduce((m, v, i) => Math.max(m, Math.abs((a[i] ?? NaN) - v)), 0);

describe('AvgPool’s gradient at clipped windows, against PyTorch’s AvgPool2d(2, ceil_mode=True)', () => {
  it('is registered by importing the model zoo', () => {
    expect(tf.getGradient('AvgPool')).toBe(avgPoolGradConfig);
  });

  it.each(
    (['cpu', 'wasm'] as const).flatMap((backend) =>
      reference.avgPool.map((c) => ({ backend, side: c.shape[1], c })),
    ),
  )('$backend, $side×$side', async ({ backend, c }) => {
    await initNodeBackend(backend);
    const x = tf.tensor4d(c.x, c.shape as [number, number, number, number]);
    const dy = tf.tensor4d(c.dy, c.outShape as [number, number, number, number]);
    const pool = (t: tf.Tensor) => tf.avgPool(t as tf.Tensor4D, 2, 2, 'same');
    const y = pool(x);
    const dx = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(pool(t), dy)))(x);
    expect(y.shape).toEqual(c.outShape);
    expect(maxAbs(y.dataSync(), c.y)).toBeLessThan(1e-6);
    // before the fix, the last row and column got a quarter (or half) of PyTorch's gradient
    expect(maxAbs(dx.dataSync(), c.dx)).toBeLessThan(1e-6);
    tf.dispose([x, dy, y, dx]);
  });
});
