import type { KernelConfig, TensorInfo } from '@tensorflow/tfjs';
import { util } from '@tensorflow/tfjs';
import { KernelKit } from './kernel-kit.ts';

/** Below this many rows the backend's own reduction is fast enough. */
const MIN_ROWS = 1024;

/**
 * Window sizes whose product is `rows`, each at most 8 where the factors allow (a prime factor
 * above 8 is a window of its own): pooling level by level with them is a pairwise-like sum.
 */
export const poolWindows = (rows: number): number[] => {
  const out: number[] = [];
  let left = rows;
  while (left > 1) {
    let w = Math.min(8, left);
    while (w > 1 && left % w !== 0) w--;
    if (w === 1) {
      // the smallest prime factor above 8
      w = 9;
      while (left % w !== 0) w++;
    }
    out.push(w);
    left /= w;
  }
  return out;
};

/**
 * `Sum` or `Mean` over every axis but the last (batch-norm statistics, bias gradients) as one
 * average pooling of X viewed as [1, rows, 1, channels]: wasm's own reduction first transposes
 * the reduced axes to the end, which costs more than the sum (and a GEMM `Xᵀ·1` runs as a scalar
 * loop: tfjs-wasm's transposed matmul has no XNNPACK path). Every other reduction goes to the
 * backend's kernel, `original`.
 */
export const rowReduction = (original: KernelConfig): KernelConfig => ({
  kernelName: original.kernelName,
  backendName: original.backendName,
  kernelFunc: (args) => {
    const { x } = args.inputs as { x: TensorInfo };
    const { axis, keepDims } = args.attrs as unknown as {
      axis: number | number[];
      keepDims: boolean;
    };
    const rank = x.shape.length;
    const axes = util.parseAxisParam(axis, x.shape).sort((a, b) => a - b);
    const c = x.shape[rank - 1] ?? 1;
    const rows = util.sizeFromShape(x.shape) / c;
    if (
      x.dtype !== 'float32' ||
      rank < 2 ||
      axes.length !== rank - 1 ||
      axes.some((a, i) => a !== i) ||
      rows < MIN_ROWS
    )
      return original.kernelFunc(args);
    return KernelKit.run(args.backend, original.backendName, (kit) => {
      // XNNPACK's average pooling adds row after row, so a float32 sum over all the rows at once
      // errs in proportion to their number; BatchNorm's gradient sums nearly cancel, which
      // turned that into 1e-3 relative errors in the weights' gradients. Pooled in windows of
      // at most 8 rows, level by level (a pairwise-like sum), they stay within PyTorch's noise.
      let mean = kit.call('Reshape', { x }, { shape: [1, rows, 1, c] });
      for (const w of poolWindows(rows))
        mean = kit.call(
          'AvgPool',
          { x: mean },
          { filterSize: [w, 1], strides: [w, 1], pad: 'valid' },
        );
      const shape = keepDims ? [...Array<number>(rank - 1).fill(1), c] : [c];
      const out =
        original.kernelName === 'Mean'
          ? mean
          : kit.call(
              'Multiply',
              {
                a: mean,
                b: kit.call('Fill', {}, { shape: [], value: rows, dtype: 'float32' }),
              },
              {},
            );
      return kit.call('Reshape', { x: out }, { shape });
    });
  },
});
