import type { KernelConfig, TensorInfo } from '@tensorflow/tfjs';
import { util } from '@tensorflow/tfjs';
import { KernelKit } from './kernel-kit.ts';

/** Below this many rows the backend's own reduction is fast enough. */
const MIN_ROWS = 1024;

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
    const kit = new KernelKit(args.backend, original.backendName);
    try {
      // XNNPACK's average pooling over one window of all the rows: a single vectorised pass
      const column = kit.call('Reshape', { x }, { shape: [1, rows, 1, c] });
      const mean = kit.call(
        'AvgPool',
        { x: column },
        { filterSize: [rows, 1], strides: [1, 1], pad: 'valid' },
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
      return kit.finish(kit.call('Reshape', { x: out }, { shape }));
    } catch (err) {
      kit.abandon();
      throw err;
    }
  },
});
