import * as tf from '@tensorflow/tfjs';
import { backend_util } from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { initNodeBackend } from '../../src/training/node/node-backend.ts';
import { fusedBatchNormGrad } from '../../src/training/kernels/batch-norm-grad.ts';
import { inputGradRouteFor } from '../../src/training/kernels/conv2d-backprop-input.ts';
import { filterGradRoute } from '../../src/training/kernels/conv2d-backprop-filter.ts';
import { convGeometry } from '../../src/training/kernels/conv-geometry.ts';
import { layoutOf } from '../../src/training/kernels/im2col.ts';
import { poolWindows } from '../../src/training/kernels/reduce-rows.ts';
import { mulberry32 } from '../../src/core/index.ts';

// These test the wasm kernels (the browser's, and Node's without native convolutions);
// native-conv.test.ts tests the native ones.
process.env.GRADSHEET_NATIVE = '0';

const data = (shape: number[], seed: number): Float32Array => {
  const rng = mulberry32(seed);
  return Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.normal());
};

/** `op`'s result on the cpu backend (tfjs's own kernels) and on wasm (ours), as plain numbers. */
const cpuAndWasm = async (op: () => tf.Tensor) => {
  const run = async (backend: 'cpu' | 'wasm') => {
    await initNodeBackend(backend);
    const y = tf.tidy(op);
    const out = { shape: y.shape, values: Array.from(await y.data()) };
    y.dispose();
    return out;
  };
  return { want: await run('cpu'), got: await run('wasm') };
};

interface ConvCase {
  readonly x: number[];
  readonly f: number[];
  readonly s: number;
  readonly pad: 'same' | 'valid' | number;
}

/** The gradient of Σ w·conv2d(x, f) with respect to x or f, on a backend, as plain numbers. */
const convGrad = async (
  backend: 'cpu' | 'wasm',
  wrt: 'x' | 'filter',
  { x: xShape, f: fShape, s, pad }: ConvCase,
) => {
  await initNodeBackend(backend);
  const x = tf.variable(tf.tensor4d(data(xShape, 1), xShape as [number, number, number, number]));
  const f = tf.variable(tf.tensor4d(data(fShape, 2), fShape as [number, number, number, number]));
  const shape = tf.tidy(() => tf.conv2d(x, f, s, pad).shape);
  const w = tf.tensor(data([...shape], 3), shape);
  const { grads } = tf.variableGrads(
    () => tf.sum(tf.mul(tf.conv2d(x, f, s, pad), w)),
    [wrt === 'x' ? x : f],
  );
  const g = Object.values(grads)[0];
  const out = g ? await g.data() : new Float32Array();
  tf.dispose([x, f, w, ...Object.values(grads)]);
  return out;
};

/** wasm (our kernels) against cpu (tfjs's), relative to the largest entry. */
const expectSameAsCpu = async (wrt: 'x' | 'filter', c: ConvCase) => {
  const want = await convGrad('cpu', wrt, c);
  const got = await convGrad('wasm', wrt, c);
  expect(got.length).toBe(want.length);
  const scale = Math.max(...Array.from(want, Math.abs));
  want.forEach((v, i) => {
    expect(Math.abs((got[i] ?? NaN) - v) / scale).toBeLessThan(1e-5);
  });
};

describe('Conv2DBackpropFilter supplied for wasm, against the cpu backend', () => {
  it.each([
    { x: [4, 8, 8, 3], f: [3, 3, 3, 5], s: 1, pad: 'same' as const, route: 'im2col' },
    { x: [3, 28, 28, 1], f: [5, 5, 1, 16], s: 1, pad: 'same' as const, route: 'conv' },
    { x: [2, 12, 12, 4], f: [5, 5, 4, 6], s: 2, pad: 'same' as const, route: 'conv' },
    { x: [4, 9, 9, 4], f: [3, 3, 4, 6], s: 2, pad: 'valid' as const, route: 'im2col' },
    { x: [2, 14, 14, 8], f: [3, 3, 8, 16], s: 2, pad: 1, route: 'im2col' },
    { x: [5, 7, 7, 6], f: [1, 1, 6, 12], s: 1, pad: 'valid' as const, route: 'grid' },
    { x: [2, 7, 7, 4], f: [3, 3, 4, 4], s: 2, pad: 'same' as const, route: 'im2col' },
    // several batch chunks (each GEMM holds at most 65,536 floats of dy)
    { x: [6, 28, 28, 8], f: [3, 3, 8, 16], s: 1, pad: 'same' as const, route: 'grid' },
    { x: [7, 16, 16, 4], f: [3, 3, 4, 256], s: 2, pad: 'valid' as const, route: 'im2col' },
    // the padded-grid layout (stride 1, large maps): 'same', 'valid', 1×1
    { x: [3, 20, 20, 4], f: [3, 3, 4, 8], s: 1, pad: 'valid' as const, route: 'grid' },
    { x: [3, 20, 20, 4], f: [3, 3, 4, 8], s: 1, pad: 1, route: 'grid' },
  ])('x $x, filter $f, stride $s, pad $pad ($route)', async (c) => {
    const route = filterGradRoute('wasm', c.f);
    const layout = layoutOf(
      convGeometry(
        backend_util.computeConv2DInfo(
          c.x as [number, number, number, number],
          c.f as [number, number, number, number],
          c.s,
          1,
          c.pad,
        ),
      ),
    ).kind;
    expect(route === 'conv' ? route : layout).toBe(c.route);
    await expectSameAsCpu('filter', c);
  });

  it('leaks no tensors', async () => {
    await initNodeBackend('wasm');
    const x = tf.variable(tf.randomNormal<tf.Rank.R4>([2, 9, 9, 3]));
    const f = tf.variable(tf.randomNormal<tf.Rank.R4>([3, 3, 3, 4]));
    const x8 = tf.variable(tf.randomNormal<tf.Rank.R4>([2, 16, 16, 8]));
    const f8 = tf.variable(tf.randomNormal<tf.Rank.R4>([3, 3, 8, 8]));
    expect(inputGradRouteFor([2, 9, 9, 3], [3, 3, 3, 4], 2, 'same')).toBe('col2im');
    expect(inputGradRouteFor([2, 16, 16, 8], [3, 3, 8, 8], 2, 'same')).toBe('phases');
    const step = () => {
      // the filter's gradient, and the input's through both routes (stride 2)
      const { value, grads } = tf.variableGrads(
        () => tf.add(tf.sum(tf.conv2d(x, f, 2, 'same')), tf.sum(tf.conv2d(x8, f8, 2, 'same'))),
        [f, x, f8, x8],
      );
      tf.dispose([value, ...Object.values(grads)]);
    };
    step();
    const before = tf.memory().numTensors;
    const bytes = tf.memory().numBytes;
    // the kernels' own intermediates live on the backend only: count its buffers too
    const buffers = tf.engine().backend.numDataIds();
    step();
    step();
    expect(tf.memory().numTensors).toBe(before);
    expect(tf.memory().numBytes).toBe(bytes);
    expect(tf.engine().backend.numDataIds()).toBe(buffers);
    tf.dispose([x, f, x8, f8]);
  });
});

describe('Conv2DBackpropInput through XNNPACK on wasm, against the cpu backend', () => {
  it.each([
    { x: [4, 8, 8, 8], f: [3, 3, 8, 5], s: 1, pad: 'same' as const, route: 'phases' },
    { x: [3, 28, 28, 16], f: [5, 5, 16, 16], s: 1, pad: 'same' as const, route: 'phases' },
    { x: [2, 30, 30, 8], f: [3, 3, 8, 16], s: 2, pad: 'valid' as const, route: 'phases' },
    { x: [2, 14, 14, 8], f: [3, 3, 8, 16], s: 2, pad: 1, route: 'phases' },
    { x: [5, 7, 7, 8], f: [1, 1, 8, 12], s: 1, pad: 'valid' as const, route: 'phases' },
    { x: [2, 28, 28, 16], f: [3, 3, 16, 16], s: 2, pad: 1, route: 'phases' },
    { x: [2, 16, 16, 8], f: [3, 3, 8, 8], s: 2, pad: 'same' as const, route: 'phases' },
    { x: [2, 17, 15, 8], f: [5, 5, 8, 4], s: 3, pad: 'same' as const, route: 'phases' },
    { x: [4, 8, 8, 3], f: [3, 3, 3, 5], s: 1, pad: 'same' as const, route: 'col2im' },
    { x: [3, 28, 28, 1], f: [5, 5, 1, 16], s: 1, pad: 'same' as const, route: 'col2im' },
    { x: [4, 9, 9, 4], f: [3, 3, 4, 6], s: 2, pad: 'valid' as const, route: 'col2im' },
    { x: [2, 7, 7, 8], f: [3, 3, 8, 4], s: 2, pad: 'same' as const, route: 'phases' },
    { x: [2, 4, 4, 32], f: [3, 3, 32, 8], s: 2, pad: 'valid' as const, route: 'col2im' },
    { x: [2, 6, 6, 64], f: [3, 3, 64, 32], s: 2, pad: 'valid' as const, route: 'col2im' },
    { x: [2, 9, 9, 16], f: [3, 3, 16, 16], s: 2, pad: 'valid' as const, route: 'col2im' },
    { x: [2, 11, 11, 3], f: [5, 5, 3, 4], s: 2, pad: 'same' as const, route: 'col2im' },
    { x: [2, 10, 10, 3], f: [3, 3, 3, 4], s: 3, pad: 'same' as const, route: 'col2im' },
    { x: [2, 8, 8, 4], f: [1, 1, 4, 6], s: 2, pad: 'valid' as const, route: 'col2im' },
    { x: [2, 9, 8, 3], f: [3, 2, 3, 4], s: 2, pad: 'valid' as const, route: 'col2im' },
  ])('x $x, filter $f, stride $s, pad $pad ($route)', async (c) => {
    const shape = (a: number[]) => a as [number, number, number, number];
    expect(inputGradRouteFor(shape(c.x), shape(c.f), c.s, c.pad)).toBe(c.route);
    await expectSameAsCpu('x', c);
  });
});

describe('the batch-norm gradient without Tile', () => {
  it('equals the gradient of batch norm written out in elementary ops, for x, mean, variance, scale and offset', async () => {
    await tf.setBackend('cpu');
    const x = tf.variable(tf.tensor4d(data([6, 5, 5, 8], 4), [6, 5, 5, 8]));
    const vars = ['mean', 'variance', 'scale', 'offset'].map((n, i) =>
      tf.variable(
        tf.tensor1d(data([8], 10 + i).map((v) => (n === 'variance' ? 1 + Math.abs(v) : v))),
        true,
        `bn_${n}`,
      ),
    );
    const [mean, variance, scale, offset] = vars as [
      tf.Variable<tf.Rank.R1>,
      tf.Variable<tf.Rank.R1>,
      tf.Variable<tf.Rank.R1>,
      tf.Variable<tf.Rank.R1>,
    ];
    const w = tf.tensor4d(data([6, 5, 5, 8], 20), [6, 5, 5, 8]);
    // The reference: (x − mean)·scale/√(variance + ε) + offset, whose gradient tfjs derives from
    // Sub, Mul, Rsqrt and Add alone. Independent of FusedBatchNorm's gradient, ours or tfjs's.
    const written = (): tf.Tensor =>
      tf.add(tf.mul(tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, 1e-5))), scale), offset);
    const fused = (): tf.Tensor => tf.batchNorm4d(x, mean, variance, offset, scale, 1e-5);
    const grads = (bn: () => tf.Tensor) => {
      const { grads: g } = tf.variableGrads(() => tf.sum(tf.mul(bn(), w)), [x, ...vars]);
      const out = Object.fromEntries(
        Object.entries(g).map(([k, t]) => [k, Array.from(t.dataSync())]),
      );
      tf.dispose(Object.values(g));
      return out;
    };
    const stock = grads(written);
    tf.registerGradient(fusedBatchNormGrad);
    const ours = grads(fused);
    for (const [k, want] of Object.entries(stock)) {
      const got = ours[k] ?? [];
      const scaleOf = Math.max(...want.map(Math.abs));
      want.forEach((v, i) => {
        expect(Math.abs((got[i] ?? NaN) - v) / scaleOf, k).toBeLessThan(1e-5);
      });
    }
  });
});

describe('Sum and Mean over all but the last axis as one average-pooling pass on wasm, against the cpu backend', () => {
  const reduce = async (
    backend: 'cpu' | 'wasm',
    op: 'sum' | 'mean',
    shape: number[],
    axis: number[],
    keepDims: boolean,
  ) => {
    await initNodeBackend(backend);
    const x = tf.tensor(data(shape, 5), shape);
    const r = tf[op](x, axis, keepDims);
    const out = { shape: r.shape, values: await r.data() };
    tf.dispose([x, r]);
    return out;
  };
  it.each([
    { op: 'sum' as const, shape: [16, 14, 14, 32], axis: [0, 1, 2], keepDims: false },
    { op: 'mean' as const, shape: [16, 14, 14, 32], axis: [0, 1, 2], keepDims: true },
    { op: 'mean' as const, shape: [2048, 10], axis: [0], keepDims: false },
    { op: 'sum' as const, shape: [8, 28, 28, 16], axis: [2, 1, 0], keepDims: true },
    { op: 'mean' as const, shape: [256, 28, 28, 4], axis: [0, 1, 2], keepDims: false },
    { op: 'sum' as const, shape: [16, 14, 14, 32], axis: [1, 2], keepDims: false }, // not all-but-last: the backend's own
    { op: 'mean' as const, shape: [4, 5, 3], axis: [0, 1], keepDims: false }, // few rows: the backend's own
  ])('$op of $shape over $axis, keepDims $keepDims', async ({ op, shape, axis, keepDims }) => {
    const want = await reduce('cpu', op, shape, axis, keepDims);
    const got = await reduce('wasm', op, shape, axis, keepDims);
    expect(got.shape).toEqual(want.shape);
    const scale = Math.max(1, ...Array.from(want.values, Math.abs));
    want.values.forEach((v, i) => {
      expect(Math.abs((got.values[i] ?? NaN) - v) / scale).toBeLessThan(1e-5);
    });
  });
});

describe('Sum over all but the last axis on wasm, pooled 8 rows at a time', () => {
  it('splits the rows into windows of at most 8 (a larger prime on its own)', () => {
    expect(poolWindows(256 * 28 * 28)).toEqual([8, 8, 8, 8, 7, 7]);
    expect(poolWindows(608 * 4)).toEqual([8, 8, 2, 19]);
    expect(poolWindows(1031)).toEqual([1031]);
    for (const rows of [1024, 4096, 12544, 200704, 2432])
      expect(poolWindows(rows).reduce((a, b) => a * b, 1)).toBe(rows);
  });

  it.each([1024, 4096, 200704])(
    'adds %i rows that nearly cancel to float32 accuracy, as PyTorch does',
    async (rows) => {
      await initNodeBackend('wasm');
      const c = 8;
      const rng = mulberry32(rows);
      // a BatchNorm gradient's shape: terms of size ~1 around a mean of about 1e-4
      const values = Float32Array.from({ length: rows * c }, () => rng.normal() + 0.25);
      const got = tf.tidy(() => tf.sum(tf.tensor2d(values, [rows, c]), 0).dataSync());
      for (let k = 0; k < c; k++) {
        let exact = 0;
        let abs = 0;
        for (let r = 0; r < rows; r++) {
          exact += values[r * c + k] ?? 0;
          abs += Math.abs(values[r * c + k] ?? 0);
        }
        // one pass over all the rows erred by 6.4e-7·Σ|x| here at 200,704 rows, 2.8e-7 at 4,096
        expect(Math.abs((got[k] ?? NaN) - exact) / abs).toBeLessThan(2e-7);
      }
    },
  );
});

describe('the LeakyRelu gradient as dy·step(x, α)', () => {
  it.each(['cpu', 'wasm'] as const)(
    'equals tfjs-core’s where(x > 0, dy, α·dy) on %s',
    async (backend) => {
      await initNodeBackend(backend);
      const shape = [4, 7, 7, 8];
      const x = tf.variable(tf.tensor(data(shape, 11), shape));
      const dy = tf.tensor(data(shape, 12), shape);
      const { value, grads } = tf.variableGrads(
        () => tf.sum(tf.mul(tf.leakyRelu(x, 0.1), dy)),
        [x],
      );
      const got = await (grads[x.name] ?? tf.scalar(NaN)).data();
      const want = await tf.tidy(() => tf.where(tf.greater(x, 0), dy, tf.mul(dy, 0.1))).data();
      expect(Array.from(got)).toEqual(Array.from(want));
      tf.dispose([x, dy, value, ...Object.values(grads)]);
    },
  );
});

describe('LeakyRelu as Prelu on wasm, against the cpu backend', () => {
  it.each([
    { shape: [4, 7, 7, 8], alpha: 0.1 },
    { shape: [33, 5], alpha: 0.2 },
    { shape: [6], alpha: 0 },
  ])('shape $shape, α $alpha', async ({ shape, alpha }) => {
    const { want, got } = await cpuAndWasm(() =>
      tf.leakyRelu(tf.tensor(data(shape, 13), shape), alpha),
    );
    expect(got.shape).toEqual(want.shape);
    // cpu multiplies by α in double precision, Prelu in single: at most one rounding apart
    want.values.forEach((v, i) => {
      expect(Math.abs((got.values[i] ?? NaN) - v)).toBeLessThanOrEqual(Math.abs(v) * 2.5e-7);
    });
  });
});

describe('Identity on wasm shares the buffer instead of copying it', () => {
  it('a clone keeps its values after the original is freed, and nothing leaks', async () => {
    await initNodeBackend('wasm');
    const buffers = () => tf.engine().backend.numDataIds();
    const before = { tensors: tf.memory().numTensors, buffers: buffers() };
    const x = tf.tensor(data([3, 4], 14), [3, 4]);
    const want = Array.from(await x.data());
    const y = tf.clone(x);
    expect(buffers()).toBe(before.buffers + 1); // one buffer for both
    x.dispose();
    expect(Array.from(await y.data())).toEqual(want);
    y.dispose();
    expect(tf.memory().numTensors).toBe(before.tensors);
    expect(buffers()).toBe(before.buffers);
  });
});

describe('AvgPoolGrad for non-overlapping windows on wasm, against the cpu backend', () => {
  it.each([
    { shape: [3, 28, 28, 16], size: 2, pad: 'same' as const },
    { shape: [2, 7, 7, 8], size: 2, pad: 'same' as const }, // the last window is clipped
    { shape: [2, 7, 9, 3], size: 3, pad: 'valid' as const }, // cells no window covers
    { shape: [2, 6, 6, 4], size: 3, pad: 'same' as const, stride: 2 }, // overlapping: wasm's own
  ])('$shape, window $size, pad $pad', async ({ shape, size, pad, stride }) => {
    const run = async (backend: 'cpu' | 'wasm') => {
      await initNodeBackend(backend);
      const x = tf.variable(
        tf.tensor4d(data(shape, 15), shape as [number, number, number, number]),
      );
      const pooled = tf.tidy(() => tf.avgPool(x, size, stride ?? size, pad));
      const w = tf.tensor(data([...pooled.shape], 16), pooled.shape);
      const { value, grads } = tf.variableGrads(
        () => tf.sum(tf.mul(tf.avgPool(x, size, stride ?? size, pad), w)),
        [x],
      );
      const out = Array.from(await (grads[x.name] ?? tf.scalar(NaN)).data());
      tf.dispose([x, pooled, w, value, ...Object.values(grads)]);
      return out;
    };
    const want = await run('cpu');
    const got = await run('wasm');
    expect(got.length).toBe(want.length);
    want.forEach((v, i) => {
      expect(Math.abs((got[i] ?? NaN) - v)).toBeLessThan(1e-6);
    });
  });
});

describe('Slice and PadV2 along the spatial axes on wasm, against the cpu backend', () => {
  const shape = [3, 9, 7, 5] as [number, number, number, number];
  it.each([
    { op: 'slice', begin: [0, 1, 1, 0], size: [3, 7, 5, 5] }, // a stride-2 padding's gradient
    { op: 'slice', begin: [0, 0, 2, 0], size: [-1, 4, -1, -1] },
    { op: 'slice', begin: [1, 0, 0, 0], size: [1, 9, 7, 5] }, // a batch slice: wasm's own
    { op: 'slice', begin: [0, 0, 0, 2], size: [3, 9, 7, 2] }, // channels: wasm's own
    {
      op: 'pad',
      paddings: [
        [0, 0],
        [1, 1],
        [1, 1],
        [0, 0],
      ],
    },
    {
      op: 'pad',
      paddings: [
        [0, 0],
        [0, 2],
        [3, 0],
        [0, 0],
      ],
    },
    {
      op: 'pad',
      paddings: [
        [1, 0],
        [1, 1],
        [0, 0],
        [0, 0],
      ],
    }, // batch: wasm's own
  ])('$op $begin $size $paddings', async (c) => {
    const { want, got } = await cpuAndWasm(() => {
      const x = tf.tensor4d(data(shape, 21), shape);
      return c.op === 'slice'
        ? tf.slice(x, c.begin ?? [], c.size ?? [])
        : tf.pad(x, c.paddings as [number, number][]);
    });
    expect(got.shape).toEqual(want.shape);
    expect(got.values).toEqual(want.values);
  });
});
