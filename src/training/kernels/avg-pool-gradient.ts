import * as tf from '@tensorflow/tfjs';
import type { AvgPoolAttrs, GradConfig, NamedAttrMap } from '@tensorflow/tfjs';
import { backend_util } from '@tensorflow/tfjs';

/**
 * For each output cell of a 2-D average pool: the window's area over the number of its cells
 * inside the input (1 where the window is whole). tfjs's forward divides by the cells inside
 * (so 'same' padding at 7→4 matches PyTorch's `AvgPool2d(2, ceil_mode=True)`), but its
 * `AvgPoolGrad` kernels (cpu, WebGL, wasm) divide by the area, so the gradient at clipped
 * windows was too small by this factor.
 */
export const clippedWindowScale = (info: backend_util.Conv2DInfo): Float32Array => {
  const { inHeight: h, inWidth: w, outHeight: oh, outWidth: ow, padInfo } = info;
  const { filterHeight: fh, filterWidth: fw, strideHeight: sh, strideWidth: sw } = info;
  const inside = (o: number, stride: number, pad: number, f: number, size: number): number =>
    Math.min(size, o * stride - pad + f) - Math.max(0, o * stride - pad);
  const out = new Float32Array(oh * ow);
  for (let y = 0; y < oh; y++)
    for (let x = 0; x < ow; x++)
      out[y * ow + x] =
        (fh * fw) / (inside(y, sh, padInfo.top, fh, h) * inside(x, sw, padInfo.left, fw, w));
  return out;
};

/**
 * `AvgPool`'s gradient as PyTorch's (and as the forward): each input cell gets dy/(cells of the
 * window inside the input). It scales dy by `clippedWindowScale` and runs the backend's own
 * `AvgPoolGrad` kernel, so it holds on every backend.
 */
export const avgPoolGradConfig: GradConfig = {
  kernelName: 'AvgPool',
  inputsToSave: ['x'],
  gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[], attrs: NamedAttrMap) => {
    const [x] = saved as [tf.Tensor4D];
    const g = (Array.isArray(dy) ? dy[0] : dy) as tf.Tensor4D;
    const { filterSize, strides, pad, dimRoundingMode } = attrs as unknown as AvgPoolAttrs;
    return {
      x: () =>
        tf.tidy(() => {
          const info = backend_util.computePool2DInfo(
            x.shape,
            filterSize,
            strides,
            1,
            pad,
            dimRoundingMode,
          );
          const scale = clippedWindowScale(info);
          const scaled = scale.every((s) => s === 1)
            ? g
            : tf.mul(g, tf.tensor4d(scale, [1, info.outHeight, info.outWidth, 1]));
          const attrsOut = { filterSize, strides, pad };
          return tf
            .engine()
            .runKernel<tf.Tensor4D>('AvgPoolGrad', { dy: scaled, input: x }, attrsOut);
        }),
    };
  },
};

/** Registers `avgPoolGradConfig` for every backend (idempotent). */
export const registerAvgPoolGradient = (): void => {
  if (tf.getGradient('AvgPool') !== avgPoolGradConfig) tf.registerGradient(avgPoolGradConfig);
};
