import type { AvgPoolGradAttrs, KernelConfig, TensorInfo } from '@tensorflow/tfjs';
import { backend_util } from '@tensorflow/tfjs';
import { KernelKit } from './kernel-kit.ts';

/**
 * `AvgPoolGrad` for windows that do not overlap (stride = window, as in the ResBlocks' 2×2
 * pooling), written in place on the wasm heap: each dx cell takes dy of its one window times
 * 1/(window size). wasm's own kernel loops over every window of every cell, a tenth of the
 * speed. The scale is tfjs's (cpu, WebGL, wasm) also where 'same' padding clips a window.
 * Overlapping windows go to the backend's kernel, `original`.
 */
export const avgPoolGradTiled = (original: KernelConfig): KernelConfig => ({
  kernelName: original.kernelName,
  backendName: original.backendName,
  kernelFunc: (args) => {
    const { dy, input } = args.inputs as { dy: TensorInfo; input: TensorInfo };
    const { filterSize, strides, pad } = args.attrs as unknown as AvgPoolGradAttrs;
    const info = backend_util.computePool2DInfo(
      input.shape as [number, number, number, number],
      filterSize,
      strides,
      1,
      pad,
    );
    const { filterHeight: fh, filterWidth: fw, strideHeight: sh, strideWidth: sw } = info;
    if (fh !== sh || fw !== sw || info.dataFormat !== 'channelsLast' || dy.dtype !== 'float32')
      return original.kernelFunc(args);
    return KernelKit.run(args.backend, original.backendName, (kit) => {
      const { batchSize, inHeight: h, inWidth: w, inChannels: c, outHeight, outWidth } = info;
      const dx = kit.output(input.shape);
      const g = kit.view(dy);
      const d = kit.view(dx);
      d.fill(0);
      const scale = 1 / (fh * fw);
      let from = 0;
      for (let b = 0; b < batchSize; b++)
        for (let oy = 0; oy < outHeight; oy++) {
          const y0 = Math.max(0, oy * sh - info.padInfo.top);
          const y1 = Math.min(h, oy * sh - info.padInfo.top + fh);
          for (let ox = 0; ox < outWidth; ox++, from += c) {
            const x0 = Math.max(0, ox * sw - info.padInfo.left);
            const x1 = Math.min(w, ox * sw - info.padInfo.left + fw);
            for (let y = y0; y < y1; y++)
              for (let x = x0; x < x1; x++) {
                const to = ((b * h + y) * w + x) * c;
                for (let k = 0; k < c; k++) d[to + k] = (g[from + k] ?? 0) * scale;
              }
          }
        }
      return dx;
    });
  },
});
