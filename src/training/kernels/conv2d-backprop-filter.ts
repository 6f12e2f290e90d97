import type { Conv2DBackpropFilterAttrs, KernelConfig, TensorInfo } from '@tensorflow/tfjs';
import { backend_util } from '@tensorflow/tfjs';
import { convGeometry } from './conv-geometry.ts';
import { filterGradViaIm2col } from './im2col.ts';
import { KernelKit } from './kernel-kit.ts';

/** Kernels with more taps than this build too big an im2col: the convolution trick instead. */
const MAX_IM2COL_TAPS = 9;

/**
 * Which way a filter gradient goes on `backendName`: GEMMs over im2col chunks on wasm (up to
 * 3×3 kernels), else one convolution (below).
 */
export const filterGradRoute = (
  backendName: string,
  filterShape: readonly number[],
): 'im2col' | 'conv' =>
  backendName === 'wasm' && (filterShape[0] ?? 0) * (filterShape[1] ?? 0) <= MAX_IM2COL_TAPS
    ? 'im2col'
    : 'conv';

/**
 * The filter gradient of a 2-D convolution, for backends that lack `Conv2DBackpropFilter` (tfjs
 * wasm). Kernels up to 3×3 on wasm go through `filterGradViaIm2col`; the rest is a forward
 * convolution:
 *
 *   dW[kh,kw,ci,co] = Σ_{b,i,j} x[b, i·s + kh − pad, j·s + kw − pad, ci] · dy[b,i,j,co]
 *
 * is the convolution of xᵀ = x as [ci, H, W, b] (ci plays the batch, b the channels) with
 * dyᵀ = dy as [oh, ow, b, co] (a filter of the output's size), stride 1, dilation = the forward
 * stride. The result [ci, kh, kw, co] is cropped to the filter size and transposed back. NHWC,
 * no forward dilation (our models use none).
 */
export const conv2dBackpropFilterViaConv = (backendName: string): KernelConfig => ({
  kernelName: 'Conv2DBackpropFilter',
  backendName,
  kernelFunc: ({ inputs, backend, attrs }) => {
    const { x, dy } = inputs as { x: TensorInfo; dy: TensorInfo };
    const { strides, pad, dataFormat, dimRoundingMode, filterShape } =
      attrs as unknown as Conv2DBackpropFilterAttrs;
    if (dataFormat !== 'NHWC')
      throw new Error(`Conv2DBackpropFilter on ${backendName}: only NHWC, got ${dataFormat}`);
    const info = backend_util.computeConv2DInfo(
      x.shape as [number, number, number, number],
      filterShape,
      strides,
      1,
      pad,
      dimRoundingMode,
    );
    const [kh, kw, ci, co] = filterShape;
    const extra = (k: number, out: number, s: number, size: number, before: number): number =>
      Math.max(0, k - 1 + (out - 1) * s + 1 - (size + before));
    return KernelKit.run(backend, backendName, (kit) => {
      if (filterGradRoute(backendName, filterShape) === 'im2col')
        return filterGradViaIm2col(kit, x, dy, convGeometry(info));
      const xt = kit.call('Transpose', { x }, { perm: [3, 1, 2, 0] });
      const dyt = kit.call('Transpose', { x: dy }, { perm: [1, 2, 0, 3] });
      const padBottom = extra(
        kh,
        info.outHeight,
        info.strideHeight,
        info.inHeight,
        info.padInfo.top,
      );
      const padRight = extra(kw, info.outWidth, info.strideWidth, info.inWidth, info.padInfo.left);
      const full = kit.call(
        'Conv2D',
        { x: xt, filter: dyt },
        {
          strides: [1, 1],
          pad: [
            [0, 0],
            [info.padInfo.top, padBottom],
            [info.padInfo.left, padRight],
            [0, 0],
          ],
          dataFormat: 'NHWC',
          dilations: [info.strideHeight, info.strideWidth],
        },
      );
      const cropped =
        full.shape[1] === kh && full.shape[2] === kw
          ? full
          : kit.call('Slice', { x: full }, { begin: [0, 0, 0, 0], size: [ci, kh, kw, co] });
      return kit.call('Transpose', { x: cropped }, { perm: [1, 2, 0, 3] });
    });
  },
});
